#!/bin/bash
# make demo: the whole of Sen in one command, on one machine (root; after `make`).
#
# Builds three network namespaces (sen-demo-core with the core, sen-demo-ran with sen-ransim,
# sen-demo-dn with a "data network" host), writes the config and an SQLite subscriber store
# into a temporary directory, starts the core (one sen-core process; SPLIT=1: one daemon per
# NF), provisions a subscriber, registers a simulated UE, establishes a PDU session, pings
# the data-network host through Sen's UPF with the system ping over the UE's TUN device, and
# tears everything down. Exit status 0 only if the ping got replies. See docs/demo.md.
#
# Usage: scripts/demo.sh [BUILD_DIR]     (default: build; env SPLIT=1, KEEP=1 keeps the logs)
set -u
BUILD=${1:-${BUILD:-build}}
SPLIT=${SPLIT:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
NS_CORE=sen-demo-core NS_RAN=sen-demo-ran NS_DN=sen-demo-dn
CORE_N2=10.201.0.1 RAN_N2=10.201.0.2 CORE_N6=10.202.0.1 DN_IP=10.202.0.2
SUPI=imsi-999700000000001
K=465B5CE8B199B49FAA5F0A2EE238A6BC OPC=CD63CB71954A9F4E48A5994E37A02BAF
NFS="nrf udr udm ausf upf smf amf"

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'; else B= G= R= N=; fi
STEP=start
T0=$(date +%s%N)
step() { STEP=$1; printf '\n%s==> %s%s\n' "$B" "$1" "$N"; }
info() { printf '    %s\n' "$*"; }
fail() {
	printf '\n%sdemo FAILED at step "%s": %s%s\n' "$R" "$STEP" "$*" "$N" >&2
	for f in "$DIR"/*.log; do
		[ -s "$f" ] || continue
		printf '    --- %s (last 15 lines)\n' "${f##*/}" >&2
		tail -n 15 "$f" | sed 's/^/    /' >&2
	done
	KEEP=1
	exit 1
}

[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root (network namespaces, TUN devices)" >&2; exit 1; }
for t in ip ping curl; do
	command -v $t >/dev/null || { echo "demo.sh: $t is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
BINS="$BUILD/tools/ransim/sen-ransim $BUILD/tools/senctl/senctl"
if [ -n "$SPLIT" ]; then
	for nf in $NFS; do BINS="$BINS $BUILD/src/$nf/sen-$nf"; done
else
	BINS="$BINS $BUILD/src/core/sen-core"
fi
for b in $BINS; do
	[ -x "$b" ] || { echo "demo.sh: $b is not built: run make first" >&2; exit 1; }
done

DIR=$(mktemp -d /tmp/sen-demo.XXXXXX)
PIDS=""
RANSIM_PID=""
cleanup() {
	local rc=$?
	set +e
	for p in $RANSIM_PID $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for _ in $(seq 50); do
		alive=""
		for p in $RANSIM_PID $PIDS; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	for p in $RANSIM_PID $PIDS; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in $NS_CORE $NS_RAN $NS_DN; do ip netns del $ns 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then
		echo "    logs, config and subscriber store kept in $DIR" >&2
	else
		rm -rf "$DIR"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -------------------------------------------------------------------------------------------
step "1/7 network namespaces: $NS_RAN --- $NS_CORE --- $NS_DN"
for ns in $NS_CORE $NS_RAN $NS_DN; do
	ip netns del $ns 2>/dev/null   # left over from an interrupted run
	ip netns add $ns && ip -n $ns link set lo up || fail "cannot create namespace $ns"
done
{
	ip -n $NS_CORE link add n2 type veth peer name n2 netns $NS_RAN &&
	ip -n $NS_CORE link add n6 type veth peer name n6 netns $NS_DN &&
	ip -n $NS_CORE addr add $CORE_N2/24 dev n2 && ip -n $NS_CORE link set n2 up &&
	ip -n $NS_RAN addr add $RAN_N2/24 dev n2 && ip -n $NS_RAN link set n2 up &&
	ip -n $NS_CORE addr add $CORE_N6/24 dev n6 && ip -n $NS_CORE link set n6 up &&
	ip -n $NS_DN addr add $DN_IP/24 dev n6 && ip -n $NS_DN link set n6 up &&
	ip -n $NS_DN route add 10.45.0.0/16 via $CORE_N6 &&
	ip netns exec $NS_CORE sysctl -qw net.ipv4.ip_forward=1
} || fail "cannot set up the veth links"
info "$NS_RAN  n2 $RAN_N2  (gNB: NGAP to the AMF, GTP-U to the UPF)"
info "$NS_CORE n2 $CORE_N2 (AMF NGAP, UPF N3)   n6 $CORE_N6 (UPF N6 via TUN sen0, UE pool 10.45.0.0/16)"
info "$NS_DN   n6 $DN_IP  (the data-network host; route to 10.45.0.0/16 via the core)"

# -------------------------------------------------------------------------------------------
step "2/7 configuration in $DIR"
sed "s#\.\./keys/#$ROOT/configs/keys/#g" "$ROOT/configs/demo/sen.yaml" > "$DIR/sen.yaml" &&
	cp "$ROOT/configs/demo/ransim.yaml" "$DIR/ransim.yaml" || fail "cannot write the config"
info "sen.yaml (from configs/demo/sen.yaml), ransim.yaml, subscriber store sqlite:$DIR/subscribers.db"

# -------------------------------------------------------------------------------------------
core() { ip netns exec $NS_CORE "$@"; }
metric() {  # metric HOST NAME -> value (empty if none)
	core curl -s -m 2 "http://$1:9090/metrics" 2>/dev/null | awk -v n="$2" '$1 == n { print $2 }'
}
if [ -n "$SPLIT" ]; then
	step "3/7 starting the core: one daemon per NF (SPLIT=1)"
	for nf in $NFS; do
		# ip netns exec execs the daemon: $! is the daemon's own pid
		ip netns exec $NS_CORE "$BUILD/src/$nf/sen-$nf" -c "$DIR/sen.yaml" > "$DIR/$nf.log" 2>&1 &
		PIDS="$PIDS $!"
		info "sen-$nf (pid $!)"
		[ $nf = nrf ] && sleep 0.3
	done
	SMF_METRICS=127.0.0.4 AMF_METRICS=127.0.0.5 UPF_METRICS=127.0.0.7
else
	step "3/7 starting the core: sen-core with NRF, UDR, UDM, AUSF, AMF, SMF and UPF in one process"
	ip netns exec $NS_CORE "$BUILD/src/core/sen-core" -c "$DIR/sen.yaml" > "$DIR/sen-core.log" 2>&1 &
	PIDS=$!
	info "sen-core (pid $PIDS)"
	SMF_METRICS=127.0.0.10 AMF_METRICS=127.0.0.10 UPF_METRICS=127.0.0.10
fi
ready=""
for _ in $(seq 100); do
	for p in $PIDS; do kill -0 "$p" 2>/dev/null || fail "a core process exited at start"; done
	[ "$(metric $SMF_METRICS sen_smf_pfcp_associations)" = 1 ] && { ready=1; break; }
	sleep 0.1
done
[ -n "$ready" ] || fail "the SMF has no PFCP association with the UPF after 10 s"
info "up: SBI on 127.0.0.x:7777, NGAP on $CORE_N2:38412 (SCTP over UDP 9899), SMF-UPF PFCP associated"

# -------------------------------------------------------------------------------------------
step "4/7 provisioning subscriber $SUPI (senctl subscriber add)"
core "$BUILD/tools/senctl/senctl" subscriber add -c "$DIR/sen.yaml" --supi $SUPI --k $K --opc $OPC \
	--dnn internet 2>&1 | sed 's/^/    /'
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "senctl subscriber add failed"

# -------------------------------------------------------------------------------------------
step "5/7 sen-ransim: NG Setup, UE registration (SUCI Profile A, 5G AKA), PDU session, TUN uesimtun0"
ip netns exec $NS_RAN "$BUILD/tools/ransim/sen-ransim" -c "$DIR/ransim.yaml" --session --tun \
	--duration 60 --deregister > "$DIR/ransim.out" 2> "$DIR/ransim.log" &
RANSIM_PID=$!
UE_IP=""
for _ in $(seq 100); do
	kill -0 $RANSIM_PID 2>/dev/null || { cat "$DIR/ransim.out" | sed 's/^/    /'; fail "sen-ransim ended before the session was up"; }
	UE_IP=$(ip -n $NS_RAN -4 -o addr show dev uesimtun0 2>/dev/null | awk '{ split($4, a, "/"); print a[1] }')
	[ -n "$UE_IP" ] && break
	sleep 0.1
done
[ -n "$UE_IP" ] || fail "no PDU session (uesimtun0) within 10 s"
info "UE $SUPI registered; PDU session on DNN internet; UE address $UE_IP on uesimtun0"

# -------------------------------------------------------------------------------------------
step "6/7 ping $DN_IP (the dn host) from the UE: uesimtun0 -> gNB -> GTP-U -> Sen UPF -> N6"
ip netns exec $NS_RAN ping -I uesimtun0 -c 4 -i 0.5 -W 2 $DN_IP 2>&1 | sed 's/^/    /'
PING_RC=${PIPESTATUS[0]}
UL=$(metric $UPF_METRICS fivegs_ep_n3_gtp_indatapktn3upf)
DL=$(metric $UPF_METRICS fivegs_ep_n3_gtp_outdatapktn3upf)
info "UPF: ${UL:-?} GTP-U packets in from N3, ${DL:-?} out to N3"

# -------------------------------------------------------------------------------------------
step "7/7 deregistration and summary"
kill -INT $RANSIM_PID 2>/dev/null   # ends the hold; the UE deregisters
for _ in $(seq 100); do kill -0 $RANSIM_PID 2>/dev/null || break; sleep 0.1; done
wait $RANSIM_PID 2>/dev/null
RANSIM_RC=$?
RANSIM_PID=""
sed 's/^/    /' "$DIR/ransim.out"
ELAPSED_MS=$(( ($(date +%s%N) - T0) / 1000000 ))

[ "$PING_RC" -eq 0 ] || fail "the ping through the UPF got no replies"
[ "$RANSIM_RC" -eq 0 ] || fail "sen-ransim reported a failed procedure (exit $RANSIM_RC)"
printf '\n%sdemo OK%s: a simulated UE registered, got a PDU session and pinged %s through Sen (%d.%d s).\n' \
	"$G" "$N" "$DN_IP" $((ELAPSED_MS / 1000)) $((ELAPSED_MS % 1000 / 100))
echo "    cleaning up: stopping the core, removing the namespaces and $DIR"
exit 0
