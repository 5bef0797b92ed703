#!/usr/bin/env bash
# Makes media/sample.mp4, the video served out of the box: 5 s of ffmpeg's
# test pattern and a tone, H.264/AAC with the index first (+faststart) so a
# player can start before the whole file has arrived. The result is committed,
# so running the service needs no ffmpeg; run this only to remake it.
# Needs ffmpeg (Debian: apt-get install -y ffmpeg).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p media
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=25:duration=5" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=5" \
  -c:v libx264 -preset veryslow -crf 30 -pix_fmt yuv420p -profile:v main \
  -c:a aac -b:a 64k \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  media/sample.mp4
ls -l media/sample.mp4
