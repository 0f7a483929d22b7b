# The shard count, in this one place: submit.sh and resubmit.sh read it,
# sbatch passes it on to the tasks (cybercba reads CYBERCBA_SHARDS) and to
# the merge (its glob).
export CYBERCBA_SHARDS=4
