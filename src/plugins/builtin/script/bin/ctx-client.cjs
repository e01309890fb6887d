'use strict';
// The client behind the `ctx` command: sends one request to the operation's ctx proxy and prints
// the answer. Usage: ctx [-t SECONDS] [-j] [--json-arg-prefix @] [--socket-url URL] ARGS...
// Arguments starting with the JSON prefix (default '@') are parsed as JSON (Cloudify's rule).
// Exit status: 0 ok; 1 the proxy answered an error, or the script asked to stop the operation
// (abort-operation, retry-operation); 2 bad usage or the proxy cannot be reached.
const net = require('node:net');

function fail(code, message) {
  process.stderr.write(`ctx: ${message}\n`);
  process.exit(code);
}

const argv = process.argv.slice(2);
let timeout = 30;
let jsonOutput = false;
let prefix = '@';
let socketUrl = process.env.CTX_SOCKET_URL || '';
const args = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (args.length > 0) {
    args.push(a);
    continue;
  }
  if (a === '-t' || a === '--timeout') timeout = Number(argv[++i]);
  else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
  else if (a === '-j' || a === '--json-output') jsonOutput = true;
  else if (a === '--json-arg-prefix') prefix = argv[++i] || '@';
  else if (a.startsWith('--json-arg-prefix=')) prefix = a.slice(18);
  else if (a === '--socket-url') socketUrl = argv[++i] || '';
  else if (a.startsWith('--socket-url=')) socketUrl = a.slice(13);
  else if (a === '--') {
    args.push(...argv.slice(i + 1));
    break;
  } else args.push(a);
}
if (!socketUrl)
  fail(
    2,
    'Missing CTX_SOCKET_URL environment variable or --socket-url argument (ctx works inside script operations only)',
  );
if (!socketUrl.startsWith('unix://'))
  fail(2, `Unsupported ctx socket url '${socketUrl}' (expected unix://PATH)`);
if (!(timeout > 0)) fail(2, 'The timeout must be a positive number of seconds');

const processed = args.map((arg) => {
  if (prefix && arg.startsWith(prefix)) {
    try {
      return JSON.parse(arg.slice(prefix.length));
    } catch (error) {
      fail(
        2,
        `argument ${JSON.stringify(arg)} starts with '${prefix}' but is not valid JSON: ${error.message}`,
      );
    }
  }
  return arg;
});

const socket = net.createConnection(socketUrl.slice('unix://'.length));
const timer = setTimeout(
  () => fail(1, `Timed out after ${timeout}s waiting for the ctx proxy`),
  timeout * 1000,
);
const chunks = [];
socket.on('error', (error) =>
  fail(
    2,
    `cannot reach the ctx proxy at ${socketUrl} (${error.code || error.message}); did the operation end already?`,
  ),
);
socket.on('data', (chunk) => chunks.push(chunk));
socket.on('end', () => {
  clearTimeout(timer);
  let response;
  try {
    response = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    fail(1, 'the ctx proxy sent an unreadable answer');
  }
  const payload = response.payload;
  if (response.type === 'result') {
    let text;
    if (jsonOutput) text = JSON.stringify(payload);
    else if (payload === null || payload === undefined) text = '';
    else text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    process.stdout.write(text);
    return;
  }
  if (response.type === 'stop_operation')
    fail(1, payload && payload.message ? payload.message : 'operation stopped');
  fail(1, `${payload.type}: ${payload.message}`);
});
socket.write(`${JSON.stringify({ args: processed, cwd: process.cwd() })}\n`);
