#!/bin/bash
#SBATCH --job-name=cybercba
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --output=slurm-%A_%a.out
# Array task i (from 0) runs shard i+1 of 4 and writes results.part-<i+1>-of-4.xlsx.
# --shards 4 keeps a task re-submitted alone (sbatch --array=2) the same shard.
# exec: scancel's SIGTERM reaches cybercba, and its exit code is the task's.
exec cybercba batch inputs.xlsx -o results.xlsx --shards 4 --workers "$SLURM_CPUS_PER_TASK"
