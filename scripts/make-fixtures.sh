#!/usr/bin/env bash
# Makes the small media fixtures of the browser test: an 8 s H.264/AAC MP4 and
# an 8 s VP9/Opus WebM, long enough to play, seek near the end and resume.
# The results are committed, so tests need no ffmpeg; run this only to remake them.
# Needs ffmpeg (Debian: apt-get install -y ffmpeg).
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures
mkdir -p "$out"
src=(-f lavfi -i "testsrc2=size=320x180:rate=25:duration=8" -f lavfi -i "sine=frequency=330:sample_rate=48000:duration=8")
same=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)
ffmpeg -hide_banner -loglevel error -y "${src[@]}" \
  -c:v libx264 -preset veryslow -crf 32 -pix_fmt yuv420p -g 25 -c:a aac -b:a 48k \
  -movflags +faststart "${same[@]}" "$out/clip.mp4"
ffmpeg -hide_banner -loglevel error -y "${src[@]}" \
  -c:v libvpx-vp9 -b:v 0 -crf 45 -deadline good -cpu-used 4 -g 25 -c:a libopus -b:a 32k \
  "${same[@]}" "$out/clip.webm"
ls -l "$out"
