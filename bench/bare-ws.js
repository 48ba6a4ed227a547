'use strict';
/**
 * The socket limit for bench/subscribers.js: a bare `ws` server that speaks just enough
 * graphql-ws (connection_init → connection_ack, subscribe → the current value at once) and, on
 * each event from its parent over IPC ({ value }), sends every subscribed socket the same bytes
 * Cascade's gateway sends (FRAME_TEMPLATE, `%VALUE%` replaced): one Buffer built once, then
 * `ws.send` per socket, nothing awaited. No authentication, no GraphQL, no upstream.
 *   PORT=4900 FRAME_TEMPLATE='{"id":"1","type":"next","payload":{"data":{"statisticChanged":{"value":%VALUE%}}}}' node bench/bare-ws.js
 * Under bench/cluster-primary.js, K of these share the port.
 */
const http = require('node:http');
const { WebSocketServer } = require('ws');

const [head, tail] = process.env.FRAME_TEMPLATE.split('%VALUE%');
const TEXT = { binary: false };
let value = Number(process.env.START_VALUE ?? 0);
let frame = Buffer.from(`${head}${value}${tail}`);
const subscribed = new Set();

const server = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return ws.close(4400, 'Invalid message received');
    }
    if (message.type === 'connection_init') ws.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe') {
      subscribed.add(ws);
      ws.send(frame, TEXT); // the first event: the current value
    } else if (message.type === 'complete') subscribed.delete(ws);
  });
  ws.on('close', () => subscribed.delete(ws));
  ws.on('error', () => undefined);
});

process.on('message', (msg) => {
  if (msg.cmd !== 'event') return;
  value = msg.value;
  frame = Buffer.from(`${head}${value}${tail}`);
  for (const ws of subscribed) ws.send(frame, TEXT);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
server.listen({ port: Number(process.env.PORT), host: '127.0.0.1', exclusive: false });
