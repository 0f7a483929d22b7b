#!/bin/bash
#SBATCH --job-name=cybercba-merge
#SBATCH --output=slurm-%j-merge.out
# Joins the four parts; says which shard is missing or repeated, or which cell of a part was edited.
exec cybercba merge results.part-*-of-4.xlsx -o results.xlsx
