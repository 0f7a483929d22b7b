package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports/bulk"
	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"
)

// The recipes the README shows, as the files the tests run.
var (
	slurmFiles = []string{"shards.sh", "batch.sh", "merge.sh", "submit.sh", "resubmit.sh"}
	k8sJob     = filepath.Join("testdata", "k8s", "job.yaml")
)

// slurmInputs writes an inputs workbook of 40 scenarios into dir: every
// fourth with a budget, some on another scope or with multipliers, and
// scenario 6 (shard 2 of 4) with a budget that is not an amount. Its
// draws × years keep a shard busy for a few seconds.
func slurmInputs(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "inputs.xlsx")
	r := cybercba(t, "template", "-o", path)
	mustSucceed(t, r, []string{"template"})
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "Settings", "B7", 20)  // draws
	setCell(t, f, "Settings", "B8", 400) // years
	if err := data.ClearScenarios(f); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 40; i++ {
		row := []any{fmt.Sprintf("scenario %02d", i)}
		switch {
		case i == 6:
			row = append(row, nil, "tbc")
		case i%4 == 0:
			row = append(row, "acute-trust", fmt.Sprintf("£%dk", 100*i))
		case i%5 == 0:
			row = append(row, nil, nil, nil, nil, nil, nil, nil, 1+float64(i)/20, 0.8, 1.2)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Scenarios", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// slurm runs a Slurm command (or a shell) in dir, with the cybercba
// binary first on PATH, and returns its standard output.
func slurm(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary(t))+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

// submitted parses "shards: job 12; merge: job 13".
func submitted(t *testing.T, out string) (shards, merge string) {
	t.Helper()
	m := regexp.MustCompile(`shards: job (\d+); merge: job (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("submitting printed %q; want the job ids", out)
	}
	return m[1], m[2]
}

// waitJobs polls squeue until none of the jobs (array jobs included) is
// pending or running. (sbatch --wait backs off to 10 s between polls.)
func waitJobs(t *testing.T, dir string, jobs ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if strings.TrimSpace(slurm(t, dir, "squeue", "-h", "-j", strings.Join(jobs, ","), "-o", "%i %T")) == "" {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("jobs %v still queued after 5 minutes:\n%s", jobs, slurm(t, dir, "squeue"))
}

// jobState returns a job's (or array task's, "12_2") state and exit code
// ("1:0": status 1, no signal) from scontrol.
func jobState(t *testing.T, dir, job string) (state, exit string) {
	t.Helper()
	out := slurm(t, dir, "scontrol", "-o", "show", "job", job)
	s := regexp.MustCompile(`JobState=(\S+)`).FindStringSubmatch(out)
	e := regexp.MustCompile(`ExitCode=(\S+)`).FindStringSubmatch(out)
	if s == nil || e == nil {
		t.Fatalf("scontrol show job %s: %q", job, out)
	}
	return s[1], e[1]
}

// waitLog waits until a job's log holds want.
func waitLog(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(path)
	t.Fatalf("%s does not say %q after 3 minutes:\n%s", path, want, b)
}

func readLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitNode waits up to 2 minutes for the cluster's node to take work:
// idle, mixed or allocated, or "planned" (Slurm 22.05 shows that for about
// 30 s after a start or a job, with an empty queue, and runs a job
// submitted then).
func waitNode(t *testing.T, dir string) {
	t.Helper()
	ready := regexp.MustCompile(`^(idle|mixed|allocated|planned)`)
	var state string
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if state = strings.TrimSpace(slurm(t, dir, "sinfo", "-h", "-o", "%T")); ready.MatchString(state) {
			return
		}
	}
	t.Fatalf("sbatch is on PATH but after 2 minutes the cluster's node is %q, not idle or planned: start one with .ci/slurm-cluster start DIR and set SLURM_CONF=DIR/slurm.conf", state)
}

// TestSlurm runs the README's Slurm recipe on a real cluster: the 4-shard
// array and the merge after it (afterany), one shard cancelled while it
// runs and re-submitted alone, one shard with a row that fails; the merged
// workbook must equal a single machine's batch, cell for cell.
func TestSlurm(t *testing.T) {
	skipUnlessLong(t, "a real Slurm cluster")
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("sbatch is not on PATH: this test needs a Slurm cluster (.ci/slurm-cluster installs and starts a private one-node one; .ci/run does)")
	}
	// Jobs go only to a cluster named on purpose, never to whatever
	// /etc/slurm/slurm.conf a developer's machine happens to hold.
	if os.Getenv("SLURM_CONF") == "" {
		t.Skip("SLURM_CONF is unset: this test submits jobs only to the cluster it names (.ci/slurm-cluster start DIR starts a private one at DIR/slurm.conf; .ci/run does; SLURM_CONF=/etc/slurm/slurm.conf uses the machine's own)")
	}
	work := t.TempDir()
	began := time.Now()
	phase := func(what string) { t.Logf("%5.1f s: %s", time.Since(began).Seconds(), what) }
	waitNode(t, work)
	slurmInputs(t, work)
	for _, name := range slurmFiles {
		b, err := os.ReadFile(filepath.Join("testdata", "slurm", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, name), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	part := func(i int) string { return filepath.Join(work, fmt.Sprintf("results.part-%d-of-4.xlsx", i)) }
	logOf := func(job string, task int) string {
		return filepath.Join(work, fmt.Sprintf("slurm-%s_%d.out", job, task))
	}

	// The array and the merge after it, as the README submits them.
	shards, merge := submitted(t, slurm(t, work, "bash", "submit.sh"))
	phase(fmt.Sprintf("submitted array job %s, merge job %s", shards, merge))
	// Cancel task 2 (shard 3 of 4) once it is running: scancel sends it
	// SIGTERM.
	waitLog(t, logOf(shards, 2), "scenarios to run")
	slurm(t, work, "scancel", shards+"_2")
	phase("cancelled task 2")
	waitJobs(t, work, shards, merge)
	phase("the array and the merge have ended")

	for task, want := range map[int]string{0: "COMPLETED 0:0", 1: "FAILED 1:0", 3: "COMPLETED 0:0"} {
		state, exit := jobState(t, work, fmt.Sprintf("%s_%d", shards, task))
		if got := state + " " + exit; got != want {
			t.Errorf("array task %d: %s; want %s\nlog:\n%s", task, got, want, readLog(t, logOf(shards, task)))
		}
		log := readLog(t, logOf(shards, task))
		if !strings.Contains(log, fmt.Sprintf("cybercba batch: shard %d of 4 on ", task+1)) || !strings.Contains(log, "10 of 10 done (100%)") {
			t.Errorf("array task %d's log has no progress lines:\n%s", task, log)
		}
		if strings.ContainsAny(log, "\x1b\r") {
			t.Errorf("array task %d's log holds terminal control codes: %q", task, log)
		}
		if _, err := os.Stat(part(task + 1)); err != nil {
			t.Errorf("array task %d wrote no part: %v", task, err)
		}
	}
	// Task 1 has the failing row: it wrote its part, exited 1, and said so.
	if log := readLog(t, logOf(shards, 1)); !strings.Contains(log, "1 of 10 scenarios failed: their problems are on the Errors sheet of results.part-2-of-4.xlsx") {
		t.Errorf("task 1's log does not report the failed row:\n%s", log)
	}
	// The cancelled task stopped cleanly: one line, no part, no temporary
	// files.
	state, exit := jobState(t, work, shards+"_2")
	t.Logf("the cancelled task: %s, exit %s", state, exit)
	if state != "CANCELLED" || exit != fmt.Sprintf("%d:0", signalExit(syscall.SIGTERM)) {
		t.Errorf("array task 2 after scancel: %s %s; want CANCELLED 143:0 (cybercba's exit status for SIGTERM)", state, exit)
	}
	if log := readLog(t, logOf(shards, 2)); !strings.Contains(log, "cybercba: stopped by SIGTERM; nothing written\n") {
		t.Errorf("the cancelled task's log does not say it stopped:\n%s", log)
	}
	if _, err := os.Stat(part(3)); err == nil {
		t.Errorf("the cancelled task wrote %s", part(3))
	}
	if tmp := tempsIn(t, work); len(tmp) > 0 {
		t.Errorf("temporary files left after scancel: %q", tmp)
	}
	// The merge ran after all that (afterany), and refused: shard 3 is
	// missing.
	if state, exit := jobState(t, work, merge); state != "FAILED" || exit != "3:0" {
		t.Errorf("the first merge: %s %s; want FAILED 3:0 (a shard missing)", state, exit)
	}
	mergeLog := func(job string) string { return readLog(t, filepath.Join(work, "slurm-"+job+"-merge.out")) }
	if log := mergeLog(merge); !strings.Contains(log, "shard 3 of 4 is missing: no part holds it (it is Slurm array task 2") {
		t.Errorf("the first merge's log does not name the missing shard:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(work, "results.xlsx")); err == nil {
		t.Errorf("the first merge wrote results.xlsx without shard 3")
	}

	// Task 2 again, alone, and the merge again, as the README says.
	again, merge2 := submitted(t, slurm(t, work, "bash", "resubmit.sh", "2"))
	phase(fmt.Sprintf("re-submitted task 2 as job %s, merge job %s", again, merge2))
	waitJobs(t, work, again, merge2)
	phase("they have ended")
	if state, exit := jobState(t, work, again+"_2"); state != "COMPLETED" || exit != "0:0" {
		t.Errorf("task 2 re-submitted: %s %s; want COMPLETED 0:0\n%s", state, exit, readLog(t, logOf(again, 2)))
	}
	// merge.sh merges with --strict: the job fails (1) because a scenario
	// failed, with the workbook written.
	if state, exit := jobState(t, work, merge2); state != "FAILED" || exit != "1:0" {
		t.Errorf("the second merge: %s %s; want FAILED 1:0 (merge --strict, a scenario failed)\n%s", state, exit, mergeLog(merge2))
	}
	if log := mergeLog(merge2); !strings.Contains(log, "Merged 4 parts: 40 scenarios, 39 ran") || !strings.Contains(log, "1 of 40 scenarios failed") {
		t.Errorf("the second merge's log:\n%s", log)
	}

	// One machine, the same inputs, the whole batch.
	single := t.TempDir()
	slurmInputs(t, single)
	p := start(t, single, "batch", "inputs.xlsx", "-o", "results.xlsx", "--quiet")
	if code := p.wait(t); code != exitFailure {
		t.Fatalf("cybercba batch on one machine: exit %d; want 1 (a row fails)\n%s", code, p.stderr.String())
	}
	phase("ran the batch on one machine")
	a, b := sheetsOf(t, filepath.Join(single, "results.xlsx")), sheetsOf(t, filepath.Join(work, "results.xlsx"))
	// The re-run part 3 holds shard 3's rows of the one machine's run,
	// cell for cell.
	var want [][]string
	for k, r := range a["Summary"] {
		if k == 0 || (atoi(t, r[0])-1)%4 == 2 {
			want = append(want, r)
		}
	}
	if got := sheetsOf(t, part(3))["Summary"]; !reflect.DeepEqual(got, want) || len(got) != 11 {
		t.Errorf("the re-run part 3's Summary differs from shard 3's rows on one machine:\ngot  %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(a, b) {
		for s := range a {
			if !reflect.DeepEqual(a[s], b[s]) {
				t.Errorf("sheet %s: the merged workbook differs from one machine's:\none machine %q\nmerged      %q", s, a[s], b[s])
			}
		}
	}
	merged := readResults(t, filepath.Join(work, "results.xlsx"))
	if len(merged.Rows) != 39 || len(merged.Errors) != 1 || merged.Errors[0].Index != 6 || merged.Errors[0].Cell != "Scenarios!C7" {
		t.Errorf("merged: %d rows, errors %+v; want 39 rows and scenario 6's budget (Scenarios!C7)", len(merged.Rows), merged.Errors)
	}
	for i := 1; i <= 4; i++ {
		if p := readResults(t, part(i)); p.Shard != i || p.Shards != 4 || p.Host == "" {
			t.Errorf("part %d records shard %d of %d on host %q", i, p.Shard, p.Shards, p.Host)
		}
	}
	if tmp := tempsIn(t, work); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
}

// TestSlurmScriptShards checks, without a cluster, that the array script's
// environment gives each task its shard, and a task re-submitted alone the
// same one.
func TestSlurmScriptShards(t *testing.T) {
	t.Parallel()
	m := regexp.MustCompile(`(?m)^export CYBERCBA_SHARDS=(\d+)$`).FindStringSubmatch(readTestdata(t, "slurm", "shards.sh"))
	if m == nil {
		t.Fatalf("shards.sh does not set CYBERCBA_SHARDS")
	}
	n := atoi(t, m[1])
	// The count is written once: every other file takes it from there.
	for _, name := range slurmFiles[1:] {
		script := readTestdata(t, "slurm", name)
		if regexp.MustCompile(`--array=0-\d|--shards|-of-\d`).MatchString(script) {
			t.Errorf("%s writes the shard count itself:\n%s", name, script)
		}
	}
	if s := readTestdata(t, "slurm", "submit.sh"); !strings.Contains(s, "--array=0-$((CYBERCBA_SHARDS - 1))") {
		t.Errorf("submit.sh does not submit an array of CYBERCBA_SHARDS tasks from 0:\n%s", s)
	}
	if s := readTestdata(t, "slurm", "batch.sh"); !strings.Contains(s, `--workers "${SLURM_CPUS_PER_TASK:-1}"`) || !strings.Contains(s, "#SBATCH --time=") || !strings.Contains(s, "#SBATCH --mem=") || !strings.Contains(s, "#SBATCH --requeue") {
		t.Errorf("batch.sh lacks --time, --mem, --requeue or a default for --workers:\n%s", s)
	}
	for task := range n {
		for _, env := range []map[string]string{
			// As the array sets it, and as sbatch --array=<task> does;
			// CYBERCBA_SHARDS comes from shards.sh through sbatch.
			{"SLURM_ARRAY_TASK_ID": fmt.Sprint(task), "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": fmt.Sprint(n), "CYBERCBA_SHARDS": fmt.Sprint(n)},
			{"SLURM_ARRAY_TASK_ID": fmt.Sprint(task), "SLURM_ARRAY_TASK_MIN": fmt.Sprint(task), "SLURM_ARRAY_TASK_COUNT": "1", "CYBERCBA_SHARDS": fmt.Sprint(n)},
		} {
			i, got, err := bulk.ShardOf("", 0, func(k string) string { return env[k] })
			if err != nil || i != task+1 || got != n {
				t.Errorf("task %d with %v: shard %d of %d, %v; want %d of %d", task, env, i, got, err, task+1, n)
			}
		}
	}
	// --shard must agree with the scheduler.
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"}
	if _, _, err := bulk.ShardOf("1/4", 0, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "makes this shard 3/4") {
		t.Errorf("--shard 1/4 in task 2 of 4: %v; want a disagreement", err)
	}
	if i, n, err := bulk.ShardOf("3/4", 0, func(k string) string { return env[k] }); err != nil || i != 3 || n != 4 {
		t.Errorf("--shard 3/4 in task 2 of 4: %d of %d, %v", i, n, err)
	}
	if i, n, err := bulk.ShardOf("1/1", 0, func(k string) string { return env[k] }); err != nil || i != 0 || n != 0 {
		t.Errorf("--shard 1/1 in task 2 of 4: %d of %d, %v; want every row", i, n, err)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func readTestdata(t *testing.T, elem ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestKubernetesJob parses the README's Indexed Job and checks what
// cybercba relies on: Indexed completion, CYBERCBA_SHARDS equal to
// completions, and a pod failure policy that reads the documented exit
// codes: 1 (a part written with failed rows) fails the index without a
// retry, 2 and 3 (bad usage or inputs) fail the Job, and a pod stopped by
// SIGTERM (143) is retried.
func TestKubernetesJob(t *testing.T) {
	t.Parallel()
	var job struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Spec       struct {
			CompletionMode       string `yaml:"completionMode"`
			Completions          int    `yaml:"completions"`
			Parallelism          int    `yaml:"parallelism"`
			BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
			PodFailurePolicy     struct {
				Rules []struct {
					Action      string `yaml:"action"`
					OnExitCodes *struct {
						ContainerName string `yaml:"containerName"`
						Operator      string `yaml:"operator"`
						Values        []int  `yaml:"values"`
					} `yaml:"onExitCodes"`
					OnPodConditions []struct {
						Type string `yaml:"type"`
					} `yaml:"onPodConditions"`
				} `yaml:"rules"`
			} `yaml:"podFailurePolicy"`
			Template struct {
				Spec struct {
					RestartPolicy string `yaml:"restartPolicy"`
					Containers    []struct {
						Name    string   `yaml:"name"`
						Command []string `yaml:"command"`
						Env     []struct {
							Name  string `yaml:"name"`
							Value string `yaml:"value"`
						} `yaml:"env"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	dec := yaml.NewDecoder(strings.NewReader(readTestdata(t, "k8s", "job.yaml")))
	if err := dec.Decode(&job); err != nil {
		t.Fatalf("job.yaml: %v", err)
	}
	s := &job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || s.CompletionMode != "Indexed" {
		t.Errorf("job.yaml: %s %s, completionMode %q; want a batch/v1 Job, Indexed", job.APIVersion, job.Kind, s.CompletionMode)
	}
	if s.Parallelism < 1 || s.Parallelism > s.Completions || s.BackoffLimitPerIndex == nil {
		t.Errorf("job.yaml: parallelism %d of %d completions, backoffLimitPerIndex %v", s.Parallelism, s.Completions, s.BackoffLimitPerIndex)
	}
	if s.Template.Spec.RestartPolicy != "Never" || len(s.Template.Spec.Containers) != 1 {
		t.Fatalf("job.yaml: want restartPolicy Never (a pod failure policy needs it) and one container")
	}
	c := s.Template.Spec.Containers[0]
	shards := ""
	for _, e := range c.Env {
		if e.Name == "CYBERCBA_SHARDS" {
			shards = e.Value
		}
	}
	if shards != fmt.Sprint(s.Completions) {
		t.Errorf("job.yaml: CYBERCBA_SHARDS %q; want the completions, %d", shards, s.Completions)
	}
	if len(c.Command) < 2 || c.Command[0] != "cybercba" || c.Command[1] != "batch" || slices.Contains(c.Command, "--shard") {
		t.Errorf("job.yaml: command %q; want cybercba batch, the shard from the environment", c.Command)
	}
	// Each shard index's shard, as the container would compute it.
	for idx := range s.Completions {
		env := map[string]string{"JOB_COMPLETION_INDEX": fmt.Sprint(idx), "CYBERCBA_SHARDS": shards}
		i, n, err := bulk.ShardOf("", 0, func(k string) string { return env[k] })
		if err != nil || i != idx+1 || n != s.Completions {
			t.Errorf("completion index %d: shard %d of %d, %v", idx, i, n, err)
		}
	}
	// What the policy does with each documented exit code: the first
	// matching rule's action, or a retry ("count") without one.
	action := func(code int) string {
		for _, r := range s.PodFailurePolicy.Rules {
			if r.OnExitCodes == nil || r.OnExitCodes.ContainerName != c.Name {
				continue
			}
			in := slices.Contains(r.OnExitCodes.Values, code)
			if (r.OnExitCodes.Operator == "In") == in {
				return r.Action
			}
		}
		return "count"
	}
	for code, want := range map[int]string{
		exitFailure:                 "FailIndex",
		exitUsage:                   "FailJob",
		exitInput:                   "FailJob",
		signalExit(syscall.SIGTERM): "count",
		signalExit(syscall.SIGINT):  "count",
	} {
		if got := action(code); got != want {
			t.Errorf("job.yaml: exit %d is %s; want %s", code, got, want)
		}
	}
	disrupted := false
	for _, r := range s.PodFailurePolicy.Rules {
		for _, pc := range r.OnPodConditions {
			disrupted = disrupted || (pc.Type == "DisruptionTarget" && r.Action == "Ignore")
		}
	}
	if !disrupted {
		t.Errorf("job.yaml: want an Ignore rule for DisruptionTarget, so an evicted shard runs again")
	}
}

// TestReadmeRecipes checks that the README shows the Slurm files and the
// Kubernetes Job exactly as the tests run them.
func TestReadmeRecipes(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	blocks := map[string]string{k8sJob: "```yaml\n" + readTestdata(t, "k8s", "job.yaml") + "```\n"}
	for _, name := range slurmFiles {
		blocks[filepath.Join("testdata", "slurm", name)] = "```sh\n" + readTestdata(t, "slurm", name) + "```\n"
	}
	for path, block := range blocks {
		if !strings.Contains(readme, block) {
			t.Errorf("README.md does not show cmd/cybercba/%s as it is:\n%s", path, block)
		}
	}
}

// TestShardProgressLog checks a shard's progress as a log sees it: plain
// lines, one each tenth of the rows, no terminal control codes.
func TestShardProgressLog(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	bar := shardProgress(&log, false, 3, 4, 20)
	for done := 1; done <= 20; done++ {
		bar(done, 20)
	}
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	host, _ := os.Hostname()
	if want := "cybercba batch: shard 3 of 4 on " + host + ": 20 scenarios to run"; len(lines) != 11 || lines[0] != want ||
		!strings.HasPrefix(lines[10], "cybercba batch: shard 3 of 4 on "+host+": 20 of 20 done (100%) after ") {
		t.Errorf("progress log:\n%s\nwant %q, then ten lines to 20 of 20", log.String(), want)
	}
	if strings.ContainsAny(log.String(), "\x1b\r") {
		t.Errorf("progress log holds terminal control codes: %q", log.String())
	}
	if shardProgress(&log, true, 3, 4, 20) != nil {
		t.Errorf("--quiet: want no progress")
	}
}

// TestSlurmTimeLimit is issue 27's acceptance for resumable shards on a
// real cluster: a shard of 10 scenarios (each with its own simulation,
// about 15 s of CPU on a quiet machine; at 7 s a row the shard once
// finished inside the limit's grace) given --time=1 is stopped by Slurm (TIMEOUT) with some
// of its rows checkpointed; submitted again, it says how many it had, runs
// the rest and completes; its part equals a shard never stopped, cell for
// cell (so the merge does: parts merge as they are).
func TestSlurmTimeLimit(t *testing.T) {
	skipUnlessLong(t, "a real Slurm cluster and a shard of about 70 s")
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("sbatch is not on PATH: this test needs a Slurm cluster (.ci/slurm-cluster installs and starts a private one-node one; .ci/run does)")
	}
	if os.Getenv("SLURM_CONF") == "" {
		t.Skip("SLURM_CONF is unset: this test submits jobs only to the cluster it names (.ci/slurm-cluster start DIR; .ci/run does)")
	}
	work, local := t.TempDir(), t.TempDir()
	waitNode(t, work)
	for _, dir := range []string{work, local} {
		path := filepath.Join(dir, "inputs.xlsx")
		mustSucceed(t, cybercba(t, "template", "-o", path), []string{"template"})
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		setCell(t, f, "Settings", "B7", 100)   // draws
		setCell(t, f, "Settings", "B8", 60000) // years: about 15 s a row, so that 10 rows outlast the minute
		head, err := f.GetRows("Scenarios")
		if err != nil || len(head) == 0 {
			t.Fatalf("Scenarios: %v", err)
		}
		rate := slices.IndexFunc(head[0], func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), "rate multiplier") })
		if rate < 0 {
			t.Fatalf("Scenarios has no rate multiplier column: %q", head[0])
		}
		for r := 2; r <= 60; r++ {
			for c := 1; c <= len(head[0]); c++ {
				cell, _ := excelize.CoordinatesToCellName(c, r)
				setCell(t, f, "Scenarios", cell, nil)
			}
		}
		// Twenty scenarios, each with its own rate multiplier, so each
		// has a simulation of its own and finishes on its own.
		for i := 1; i <= 20; i++ {
			name, _ := excelize.CoordinatesToCellName(1, i+1)
			mult, _ := excelize.CoordinatesToCellName(rate+1, i+1)
			setCell(t, f, "Scenarios", name, fmt.Sprintf("scenario %02d", i))
			setCell(t, f, "Scenarios", mult, 1+float64(i)/100)
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, name := range slurmFiles {
		b := readTestdata(t, "slurm", name)
		if name == "shards.sh" {
			b = strings.Replace(b, "CYBERCBA_SHARDS=4", "CYBERCBA_SHARDS=2", 1)
		}
		if err := os.WriteFile(filepath.Join(work, name), []byte(b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The same shard on this machine, never stopped, meanwhile.
	never := start(t, local, "batch", "inputs.xlsx", "-o", "results.xlsx", "--shard", "1/2", "--workers", "1", "--quiet")
	part := "results.part-1-of-2.xlsx"
	ckpt := filepath.Join(work, part+".checkpoint")
	job := strings.TrimSpace(slurm(t, work, "bash", "-c", ". ./shards.sh && sbatch --parsable --time=1 --array=0 batch.sh"))
	waitJobs(t, work, job)
	state, exit := jobState(t, work, job+"_0")
	b, _ := os.ReadFile(ckpt)
	kept := strings.Count(string(b), "\n") - 1
	t.Logf("with --time=1: %s %s, %d of 10 rows checkpointed", state, exit, kept)
	if state != "TIMEOUT" || kept < 1 || kept >= 10 {
		t.Fatalf("with --time=1: %s %s and %d rows checkpointed; want TIMEOUT with some but not all of the 10 rows\n%s", state, exit, kept, readLog(t, filepath.Join(work, fmt.Sprintf("slurm-%s_0.out", job))))
	}
	if _, err := os.Stat(filepath.Join(work, part)); err == nil {
		t.Errorf("the timed-out shard wrote its part")
	}
	again := strings.TrimSpace(slurm(t, work, "bash", "-c", ". ./shards.sh && sbatch --parsable --array=0 batch.sh"))
	waitJobs(t, work, again)
	log := readLog(t, filepath.Join(work, fmt.Sprintf("slurm-%s_0.out", again)))
	if state, exit := jobState(t, work, again+"_0"); state != "COMPLETED" || exit != "0:0" {
		t.Fatalf("submitted again: %s %s; want COMPLETED 0:0\n%s", state, exit, log)
	}
	if want := fmt.Sprintf("holds %d finished rows: running the rest", kept); !strings.Contains(log, want) {
		t.Errorf("the resubmitted shard's log does not say %q:\n%s", want, log)
	}
	if _, err := os.Stat(ckpt); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is still there after the part was written: %v", err)
	}
	if code := never.wait(t); code != exitOK {
		t.Fatalf("the shard on this machine: exit %d\n%s", code, never.stderr.String())
	}
	got, want := sheetsOf(t, filepath.Join(work, part)), sheetsOf(t, filepath.Join(local, part))
	for _, s := range []string{"Summary", "Errors"} {
		if !reflect.DeepEqual(got[s], want[s]) {
			t.Errorf("sheet %s of the resumed part differs from a shard never stopped:\n got %q\nwant %q", s, got[s], want[s])
		}
	}
	if len(got["Summary"]) != 11 {
		t.Errorf("the resumed part's Summary has %d rows; want a header and 10", len(got["Summary"]))
	}
}
