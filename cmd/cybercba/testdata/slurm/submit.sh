# The array, then the merge once every shard has ended, however it ended.
. ./shards.sh
job=$(sbatch --parsable --array=0-$((CYBERCBA_SHARDS - 1)) batch.sh)
merge=$(sbatch --parsable --dependency=afterany:"$job" merge.sh)
echo "shards: job $job; merge: job $merge"
