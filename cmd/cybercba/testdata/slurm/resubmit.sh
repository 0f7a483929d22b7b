# Run array task $1 again alone (2 is shard 3 of 4), then merge again. The
# task resumes from its checkpoint.
. ./shards.sh
job=$(sbatch --parsable --array="$1" batch.sh)
merge=$(sbatch --parsable --dependency=afterany:"$job" merge.sh)
echo "shards: job $job; merge: job $merge"
