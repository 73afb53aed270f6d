// Demo · lesson 01: message boundaries. Three quick writes over TCP, three datagrams over UDP.
//
// Run:   node --import tsx lessons/01-udp-vs-tcp/boundaries.ts
//
// It prints something like:
//   TCP: 3 writes arrived as 1 read:  ["onetwothree"]
//   UDP: 3 datagrams arrived as 3 messages: ["one","two","three"]
// (TCP may show 2 or 3 reads on another run or machine: that is the point, nothing is promised.)

import dgram from 'node:dgram';
import net from 'node:net';

const WORDS = ['one', 'two', 'three'];

// #region tcp
// TCP is a byte stream: the receiver gets bytes, in order, in chunks of the
// network's choosing.
function tcpReads(): Promise<string[]> {
  return new Promise((resolve) => {
    const reads: string[] = [];
    const server = net.createServer((conn) => {
      conn.on('data', (chunk) => reads.push(chunk.toString('utf8')));
      conn.on('end', () => {
        server.close();
        resolve(reads);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect(port, '127.0.0.1', () => {
        // Three separate writes...
        for (const word of WORDS) client.write(word);
        client.end();
      });
    });
  });
}
// #endregion tcp

// #region udp
// UDP carries datagrams: each send() arrives as one 'message', whole, or not
// at all.
function udpMessages(): Promise<string[]> {
  return new Promise((resolve) => {
    const messages: string[] = [];
    const receiver = dgram.createSocket('udp4');
    const sender = dgram.createSocket('udp4');
    // UDP promises nothing: don't wait forever.
    const timer = setTimeout(finish, 1000);
    function finish() {
      clearTimeout(timer);
      receiver.close();
      sender.close();
      resolve(messages);
    }
    receiver.on('message', (msg) => {
      messages.push(msg.toString('utf8'));
      if (messages.length === WORDS.length) finish();
    });
    receiver.bind(0, '127.0.0.1', () => {
      const { port } = receiver.address();
      // ...three datagrams. A failed send shows only in its callback.
      for (const word of WORDS) {
        sender.send(word, port, '127.0.0.1', (err) => {
          if (err) console.error(`Send failed: ${err.message}`);
        });
      }
    });
  });
}
// #endregion udp

const reads = await tcpReads();
console.log(`TCP: ${WORDS.length} writes arrived as ${reads.length} read${reads.length === 1 ? '' : 's'}: ${JSON.stringify(reads)}`);
const messages = await udpMessages();
console.log(`UDP: ${WORDS.length} datagrams arrived as ${messages.length} messages: ${JSON.stringify(messages)}`);
