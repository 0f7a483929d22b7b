#!/bin/bash
#SBATCH --job-name=cybercba-merge
#SBATCH --mem=1G
#SBATCH --time=00:10:00
#SBATCH --output=slurm-%j-merge.out
# Joins the parts; says which shard is missing or repeated, or which cell
# of a part was edited. --strict: the job fails (exit 1) when scenarios
# failed, as their shards did; without it the merge exits 0 and the Errors
# sheet lists them.
exec cybercba merge results.part-*-of-"$CYBERCBA_SHARDS".xlsx -o results.xlsx --strict
