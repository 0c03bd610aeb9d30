#!/usr/bin/env bash
# Builds and runs the DL4J SameDiff peer; the first time it downloads ~120 MB of ND4J into the local
# Maven repository and unpacks ~450 MB of native libraries into ~/.javacpp.
# `./rnn4j bench peers --dl4j` calls it; alone:
#   bench/peers/dl4j/run.sh --shapes 32x50x64x128 --cells lstm,gru --csv /tmp/dl4j.csv
# Environment: JAVA_HOME (a JDK 25: the build runs the project's Maven wrapper, whose .mvn/jvm.config
# JDK 17 refuses; the rnn4j script passes the JDK it found), ND4J_CLASSIFIER
# (default linux-x86_64-onednn-avx512; see pom.xml), THREADS (default 2).
# Threads: OpenMP and OpenBLAS get THREADS, libnd4j's own pool 1: with all three at 2 on two
# cores the spinning pools oversubscribe the machine (2-10x slower, erratic; shared/peers/dl4j).
set -euo pipefail
cd "$(dirname "$0")"
CLASSIFIER="${ND4J_CLASSIFIER:-linux-x86_64-onednn-avx512}"
THREADS="${THREADS:-2}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Built once per change: `./rnn4j bench peers` runs this for each cell and shape.
CP="target/cp-$CLASSIFIER.txt"
if [[ ! -f "$CP" || ! -d target/classes || pom.xml -nt "$CP" || -n "$(find src -newer "$CP" -print -quit)" ]]; then
    ../../../mvnw -q -B -Dnd4j.classifier="$CLASSIFIER" \
        compile dependency:build-classpath -Dmdep.outputFile="$CP" >&2
    touch "$CP"
fi

export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"
export SD_MAX_THREADS=1 SD_MASTER_THREADS=1
exec "$JAVA" -Xms2g -Xmx4g --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dorg.bytedeco.javacpp.maxbytes=6g -Dorg.bytedeco.javacpp.maxphysicalbytes=12g \
    -cp "target/classes:$(cat "$CP")" bench.RnnBench "$@"
