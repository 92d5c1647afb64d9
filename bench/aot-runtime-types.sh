#!/usr/bin/env bash
# Lists the types and methods a NativeAOT binary builds at run time (the type loader's slow path: MakeGenericType of
# an instantiation the compiler did not see, arrays of such types, generic virtual methods) from spawn to the first
# tools/list answer over stdio, by breaking in the type builder under gdb with the binary's native symbols.
#   dotnet publish src/McpCloudTools.Server -c Release -r linux-x64 -o out/aot
#   bench/aot-runtime-types.sh out/aot/mcp-cloud-tools src/McpCloudTools.Server/bin/Release/net10.0/linux-x64/native/mcp-cloud-tools.dbg
# Each "generic" line is a definition and its first type argument; src/McpCloudTools.Server/start-up.rd.xml lists the
# ones on the start path so that they are compiled in.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <native binary> <its .dbg symbols file>" >&2
  exit 2
fi
command -v gdb >/dev/null || { echo "needs gdb (apt-get install gdb)" >&2; exit 2; }
binary=$1
symbols=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"aot-runtime-types","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' > "$work/requests"
cat > "$work/gdb" <<GDB
set pagination off
set confirm off
handle SIGUSR1 SIGUSR2 SIG34 SIG35 SIGPIPE nostop noprint
symbol-file $symbols
break S_P_TypeLoader_Internal_Runtime_TypeLoader_TypeBuilder__TryBuildGenericType
commands
silent
printf "generic: "
info symbol \$rdi
printf "    over: "
info symbol *(long*)(\$rsi+16)
continue
end
break S_P_TypeLoader_Internal_Runtime_TypeLoader_TypeBuilder__TryBuildArrayType
commands
silent
printf "array of: "
info symbol \$rdi
continue
end
break S_P_TypeLoader_Internal_Runtime_TypeLoader_TypeBuilder__TryBuildGenericMethod
commands
silent
printf "generic virtual method\n"
continue
end
run --state none < $work/requests > /dev/null 2>&1
quit
GDB
AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  timeout 120 gdb -q -batch -x "$work/gdb" "$binary" 2>/dev/null \
  | grep -E '^(generic|    over|array of|generic virtual)' \
  | sed -E 's/ in section [^ ]+ of .*//; s/vtable for //' || true
