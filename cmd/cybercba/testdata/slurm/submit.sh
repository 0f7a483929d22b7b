# The array, then the merge once every shard has ended, however it ended.
job=$(sbatch --parsable batch.sh)
merge=$(sbatch --parsable --dependency=afterany:"$job" merge.sh)
echo "shards: job $job; merge: job $merge"
