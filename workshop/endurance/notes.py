"""What a crash of the local AWS itself loses today (the optional `localaws` fault measures it)."""

LOCALAWS_CRASH = (
    "A crash of the local AWS (kill -9 of moto's process) loses everything it holds, because moto keeps it in "
    "memory: serverless loses its tables, buckets (every source and rendition), queues, streams, functions and "
    "API, so every acknowledged upload is gone and the API itself must be deployed again (`workshop down "
    "serverless && workshop up serverless`); the microservices lose the transcode queue and its dead-letter "
    "queue, so the jobs of acknowledged uploads not yet transcoded are gone and those videos stay `processing` "
    "(their catalog, SQLite, and their sources, files, survive). Saving and restoring the local AWS's state is "
    "separate work; until then this fault is off by default (`workshop faults ARCH --localaws`)."
)
