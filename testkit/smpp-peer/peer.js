// An independent SMPP 3.4 server for Tabour's tests: the npm package `smpp` (not our codec)
// in server mode. It accepts binds, answers every submit_sm (unless told to hold them), and
// writes what it received as JSON lines to --out: each PDU decoded by `smpp` (UCS-2 and GSM
// text, the UDH split off), and each whole message once all its parts arrived ("message",
// parts reassembled by their 8-bit reference). A small HTTP control port lets a test send a
// deliver_sm (a citizen's text) to the bound client and switch the answers off and on.
//
//   node peer.js --out FILE [--port N] [--control N]
// prints one line: "smpp-peer listening on PORT control CONTROL"
'use strict';
const smpp = require('smpp');
const http = require('http');
const fs = require('fs');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const out = args.out;
if (!out) {
  console.error('usage: node peer.js --out FILE [--port N] [--control N]');
  process.exit(2);
}
let respond = true;
let messageId = 0;
const sessions = new Set();
const partsByRef = new Map();

function record(obj) {
  obj.at_ms = Date.now();
  fs.appendFileSync(out, JSON.stringify(obj) + '\n');
}

function textOf(sm) {
  if (typeof sm === 'string') return sm;
  if (sm && typeof sm.message === 'string') return sm.message;
  if (sm && Buffer.isBuffer(sm.message)) return sm.message.toString('hex');
  return '';
}

function concatInfo(sm) {
  if (!sm || !sm.udh) return null;
  for (const u of sm.udh) {
    // IEI 0: 8-bit reference, total, sequence.
    if (u[0] === 0x00 && u[1] === 3) return { ref: u[2], total: u[3], n: u[4] };
  }
  return null;
}

const server = smpp.createServer((session) => {
  sessions.add(session);
  session.on('close', () => sessions.delete(session));
  session.on('error', (e) => record({ pdu: 'error', error: String(e) }));
  for (const kind of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
    session.on(kind, (pdu) => {
      record({ pdu: kind, system_id: pdu.system_id, interface_version: pdu.interface_version });
      session.send(pdu.response());
    });
  }
  session.on('enquire_link', (pdu) => {
    record({ pdu: 'enquire_link' });
    session.send(pdu.response());
  });
  session.on('unbind', (pdu) => {
    record({ pdu: 'unbind' });
    session.send(pdu.response());
    session.close();
  });
  session.on('deliver_sm_resp', (pdu) => record({ pdu: 'deliver_sm_resp', status: pdu.command_status }));
  session.on('submit_sm', (pdu) => {
    const text = textOf(pdu.short_message);
    const concat = concatInfo(pdu.short_message);
    const id = 'peer-' + (++messageId);
    record({
      pdu: 'submit_sm',
      sequence_number: pdu.sequence_number,
      source_addr: pdu.source_addr,
      source_addr_ton: pdu.source_addr_ton,
      destination_addr: pdu.destination_addr,
      dest_addr_ton: pdu.dest_addr_ton,
      data_coding: pdu.data_coding,
      esm_class: pdu.esm_class,
      text,
      concat,
      answered: respond,
      message_id: respond ? id : null,
    });
    if (concat) {
      const key = pdu.destination_addr + '/' + concat.ref + '/' + concat.total;
      const got = partsByRef.get(key) || {};
      got[concat.n] = text;
      partsByRef.set(key, got);
      if (Object.keys(got).length === concat.total) {
        const whole = [];
        for (let n = 1; n <= concat.total; n++) whole.push(got[n]);
        partsByRef.delete(key);
        record({ pdu: 'message', destination_addr: pdu.destination_addr, data_coding: pdu.data_coding, parts: concat.total, text: whole.join('') });
      }
    } else {
      record({ pdu: 'message', destination_addr: pdu.destination_addr, data_coding: pdu.data_coding, parts: 1, text });
    }
    if (respond) session.send(pdu.response({ message_id: id }));
  });
});

server.on('error', (e) => {
  console.error('smpp-peer: ' + e);
  process.exit(1);
});

const control = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    let j = {};
    try { j = body ? JSON.parse(body) : {}; } catch (e) { res.writeHead(400); res.end('bad json'); return; }
    if (req.url === '/deliver') {
      // A citizen's text: UCS-2 when not plain ASCII.
      const ascii = /^[\x20-\x7e]*$/.test(j.text || '');
      let sent = 0;
      for (const s of sessions) {
        s.deliver_sm({
          source_addr: j.from,
          source_addr_ton: 1,
          source_addr_npi: 1,
          destination_addr: j.to || 'TABOUR',
          data_coding: ascii ? 0 : 8,
          short_message: j.text,
        });
        sent++;
      }
      record({ pdu: 'deliver_sm', from: j.from, text: j.text, sessions: sent });
      res.writeHead(sent ? 200 : 409);
      res.end(JSON.stringify({ sessions: sent }));
    } else if (req.url === '/respond') {
      respond = j.respond !== false;
      res.writeHead(200);
      res.end(JSON.stringify({ respond }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});

server.listen(Number(args.port || 0), '127.0.0.1', () => {
  control.listen(Number(args.control || 0), '127.0.0.1', () => {
    console.log('smpp-peer listening on ' + server.address().port + ' control ' + control.address().port);
  });
});
