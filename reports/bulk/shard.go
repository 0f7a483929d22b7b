package bulk

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ShardOf returns the shard to run, from 1, and the count: from
// --shard i/n, or else from a Kubernetes Indexed Job's or a Slurm array's
// environment; 0 and 0 for every row.
func ShardOf(flagShard string, flagShards int, getenv func(string) string) (int, int, error) {
	if flagShard != "" {
		a, b, ok := strings.Cut(flagShard, "/")
		i, err1 := strconv.Atoi(strings.TrimSpace(a))
		n, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
			return 0, 0, fmt.Errorf("--shard: want i/n with 1 ≤ i ≤ n, e.g. 2/3, got %q", flagShard)
		}
		if n == 1 {
			return 0, 0, nil
		}
		// The scheduler's environment, if it names a shard, must agree.
		if ei, en, err := ShardOf("", flagShards, getenv); err == nil && en > 0 && (ei != i || en != n) {
			return 0, 0, fmt.Errorf("--shard %d/%d, but the scheduler's environment (%s) makes this shard %d/%d: drop --shard, or make them agree", i, n, shardEnv(getenv), ei, en)
		}
		return i, n, nil
	}
	count := func(envs ...string) (int, string, error) {
		if flagShards > 0 {
			return flagShards, "--shards", nil
		}
		for _, e := range envs {
			if v := getenv(e); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					return 0, e, fmt.Errorf("%s: want a count of at least 1, got %q", e, v)
				}
				return n, e, nil
			}
		}
		return 0, "", nil
	}
	index := func(name, v string, base int) (int, error) {
		i, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%s: want a whole number, got %q", name, v)
		}
		return i - base + 1, nil
	}
	if v := getenv("JOB_COMPLETION_INDEX"); v != "" {
		n, from, err := count("CYBERCBA_SHARDS")
		if err != nil {
			return 0, 0, err
		}
		if n == 0 {
			return 0, 0, errors.New("JOB_COMPLETION_INDEX is set but not the shard count: set CYBERCBA_SHARDS to the Job's completions, or pass --shards (or --shard 1/1 to run every row)")
		}
		i, err := index("JOB_COMPLETION_INDEX", v, 0)
		if err != nil {
			return 0, 0, err
		}
		if i < 1 || i > n {
			return 0, 0, fmt.Errorf("JOB_COMPLETION_INDEX %s is outside 0 to %d (%s %d): set %s to the Job's completions", v, n-1, from, n, from)
		}
		return shardOrAll(i, n)
	}
	if v := getenv("SLURM_ARRAY_TASK_ID"); v != "" {
		n, from, err := count("CYBERCBA_SHARDS", "SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return 0, 0, err
		}
		if n == 0 {
			return 0, 0, errors.New("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: pass --shards (or --shard 1/1 to run every row)")
		}
		// With the count given, array ids count from 0, so that one task
		// re-submitted alone (sbatch --array=2) is still shard 3 of 4;
		// from the array's own count, they count from its first id.
		base := 0
		if from == "SLURM_ARRAY_TASK_COUNT" {
			if n == 1 {
				return 0, 0, errors.New("SLURM_ARRAY_TASK_COUNT is 1 (an array of one task, as when one task is re-submitted): pass --shards with the whole array's count (or --shard 1/1 to run every row)")
			}
			if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
				if base, err = strconv.Atoi(m); err != nil {
					return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_MIN: want a whole number, got %q", m)
				}
			}
		}
		i, err := index("SLURM_ARRAY_TASK_ID", v, base)
		if err != nil {
			return 0, 0, err
		}
		if i < 1 || i > n {
			return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_ID %s is outside %d to %d (%s %d): Slurm array ids count from 0: --array=0-%d", v, base, base+n-1, from, n, n-1)
		}
		return shardOrAll(i, n)
	}
	return 0, 0, nil
}

// shardEnv lists the scheduler's variables that name a shard, as set.
func shardEnv(getenv func(string) string) string {
	var set []string
	for _, k := range []string{"JOB_COMPLETION_INDEX", "CYBERCBA_SHARDS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"} {
		if v := getenv(k); v != "" {
			set = append(set, k+"="+v)
		}
	}
	return strings.Join(set, " ")
}

func shardOrAll(i, n int) (int, int, error) {
	if n == 1 {
		return 0, 0, nil
	}
	return i, n, nil
}

// PartName returns the part file of shard i of n: results.xlsx gives
// results.part-2-of-3.xlsx.
func PartName(out string, i, n int) string {
	ext := filepath.Ext(out)
	return fmt.Sprintf("%s.part-%d-of-%d%s", strings.TrimSuffix(out, ext), i, n, ext)
}

// Picked returns the number of rows, of n, that shard (0: all) of shards
// runs.
func Picked(n, shard, shards int) int {
	if shards == 0 {
		return n
	}
	return (n - shard + shards) / shards
}

// HTMLBeside returns the name of the HTML page written beside a results
// workbook: results.xlsx gives results.html.
func HTMLBeside(book string) string {
	page := strings.TrimSuffix(book, filepath.Ext(book)) + ".html"
	if page == book {
		page += ".html"
	}
	return page
}

// Generated is the time a run's results are stamped with: the
// SOURCE_DATE_EPOCH variable's seconds since 1970 when getenv gives one
// (as reproducible builds set it), so that two runs of the same shard on
// the same host write the same bytes, else now, to the second.
func Generated(getenv func(string) string) time.Time {
	if s, err := strconv.ParseInt(getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}
