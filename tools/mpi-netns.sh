#!/usr/bin/env bash
# Two MPI ranks on two "hosts" joined by a network: network namespaces sf-ns1 (10.77.0.1) and sf-ns2 (10.77.0.2)
# linked by a veth pair, mpiexec started in sf-ns1 with both addresses as hosts, and a launcher that runs each
# host's proxy inside its namespace (MPICH's hydra calls it as it would call ssh). The ranks' traffic crosses the
# veth link, as it would cross a network between two machines. Needs root and iproute2.
#   tools/mpi-netns.sh [sharpflow train arguments...]   (default: a short LeNet-5 run on the embedded sample)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "mpi-netns.sh: needs root (ip netns)"; exit 1; }
cli="$(pwd)/src/SharpFlow.Cli/bin/Release/net10.0/SharpFlow.Cli.dll"
[ -f "$cli" ] || dotnet build src/SharpFlow.Cli -c Release >/dev/null
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(train lenet5 --data embedded --epochs 2 --steps-per-epoch 10 --log-every 5 --logdir "$(mktemp -d)")

remove_namespaces() { ip netns del sf-ns1 2>/dev/null || true; ip netns del sf-ns2 2>/dev/null || true; }
remove_namespaces
work="$(mktemp -d)"
trap 'remove_namespaces; rm -rf "$work"' EXIT
ip netns add sf-ns1
ip netns add sf-ns2
ip link add sf-veth1 type veth peer name sf-veth2
ip link set sf-veth1 netns sf-ns1
ip link set sf-veth2 netns sf-ns2
ip -n sf-ns1 addr add 10.77.0.1/24 dev sf-veth1
ip -n sf-ns2 addr add 10.77.0.2/24 dev sf-veth2
for ns in sf-ns1 sf-ns2; do ip -n "$ns" link set lo up; done
ip -n sf-ns1 link set sf-veth1 up
ip -n sf-ns2 link set sf-veth2 up

# The "ssh" hydra uses to start a proxy on a host: run the command inside that host's namespace.
cat > "$work/launch" <<'LAUNCH'
#!/bin/sh
while [ "${1#-}" != "$1" ]; do shift; done   # ssh options hydra passes (-x)
host="$1"; shift
case "$host" in
  10.77.0.1) ns=sf-ns1 ;;
  10.77.0.2) ns=sf-ns2 ;;
  *) echo "mpi-netns launcher: unknown host $host" >&2; exit 1 ;;
esac
# Its own host name too (a UTS namespace): MPICH takes processes with one host name to share a machine and would
# connect them through shared memory instead of the network.
exec ip netns exec "$ns" unshare --uts sh -c "hostname $ns && exec $*"
LAUNCH
chmod +x "$work/launch"

echo "hosts: sf-ns1 10.77.0.1 and sf-ns2 10.77.0.2, joined by a veth pair"
ip -n sf-ns1 -brief addr show sf-veth1
ip -n sf-ns2 -brief addr show sf-veth2
# Debian's MPICH runs over UCX, which finds that both ranks share this machine's memory whatever their host names and
# would use it; UCX_TLS=tcp makes it take the network path it takes between real hosts, over the veth link.
status=0
ip netns exec sf-ns1 env DOTNET_PROCESSOR_COUNT=1 mpiexec.mpich -hosts 10.77.0.1,10.77.0.2 -n 2 -ppn 1 \
  -launcher ssh -launcher-exec "$work/launch" -iface sf-veth1 \
  -genv UCX_TLS tcp,self -genv UCX_NET_DEVICES sf-veth1,sf-veth2 \
  dotnet "$cli" "${args[@]}" --distributed || status=$?
echo "bytes that crossed the veth link (sf-ns1 side):"
ip -n sf-ns1 -s link show sf-veth1 | sed -n '/RX:/,+1p;/TX:/,+1p'
exit "$status"
