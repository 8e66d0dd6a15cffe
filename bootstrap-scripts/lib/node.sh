#!/usr/bin/env bash
# Node.js checks shared by the host-side scripts that run npm packages (the contract tools, the web console).
# Sourced after lib.sh.

# require_node NODE PURPOSE : NODE runs, npm is there, and it is Node.js 20.19+ or 22.12+ (the engines of the
# pinned packages: Vite, Redocly CLI).
require_node() {
  local node="$1" purpose="$2" version major minor
  command -v "$node" >/dev/null 2>&1 || fatal "$purpose needs Node.js 20.19+ or 22.12+ with npm; $node is not installed"
  require_cmd npm
  version="$("$node" --version)"
  version="${version#v}"
  major="${version%%.*}"
  minor="${version#*.}"
  minor="${minor%%.*}"
  if ! { [[ "$major" -eq 20 && "$minor" -ge 19 ]] || [[ "$major" -eq 22 && "$minor" -ge 12 ]] || [[ "$major" -gt 22 ]]; }; then
    fatal "$purpose needs Node.js 20.19+ or 22.12+, found $version ($node)"
  fi
}
