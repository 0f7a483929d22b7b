#!/bin/bash
#SBATCH --job-name=cybercba
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --output=slurm-%A_%a.out
# Submitted by submit.sh as an array of $CYBERCBA_SHARDS tasks, ids from 0:
# task i runs shard i+1 and writes results.part-<i+1>-of-<n>.xlsx. Each
# finished scenario is kept in results.part-<i+1>-of-<n>.xlsx.checkpoint,
# so a task stopped by --time, pre-empted or requeued resumes where it
# stopped when it runs again. --mem: a shard peaked at 232 MiB with one
# worker (200 draws × 5,000 years); give about 250 MiB a CPU, plus room.
# exec: scancel's SIGTERM reaches cybercba, and its exit code is the task's.
exec cybercba batch inputs.xlsx -o results.xlsx --workers "${SLURM_CPUS_PER_TASK:-1}"
