// Demo · lesson 10: one client, two spellings of its address.
//
// Run:   node --import tsx lessons/10-security/dual-stack.ts
//
// A udp6 socket bound to "::" also receives IPv4, and names an IPv4 client
// "::ffff:127.0.0.1". A key made from that spelling is not the
// key an IPv4 socket makes for the same client: normalise before keying. But
// reply to the address as it came: a udp6 socket cannot send to "127.0.0.1".

import dgram from 'node:dgram';

const server = dgram.createSocket('udp6');
const ok = await new Promise<boolean>((done) => {
  server.once('error', () => done(false));
  server.bind(0, '::', () => done(true));
});
if (!ok) {
  console.log('No IPv6 here: a udp6 socket cannot bind "::".');
  process.exit(0);
}

server.on('message', (_msg, rinfo) => {
  // #region normalise
  const key = rinfo.address.replace(/^::ffff:(?=\d+\.)/, '');
  console.log(`rinfo.address ${rinfo.address}, key ${key}`);
  // #endregion normalise
  const said = (to: string) => (err: NodeJS.ErrnoException | null) => {
    console.log(`reply to ${to}: ${err ? err.code : 'sent'}`);
    finished();
  };
  server.send('as it came', rinfo.port, rinfo.address, said(rinfo.address));
  server.send('normalised', rinfo.port, key, said(key));
});

const client = dgram.createSocket('udp4');
client.on('message', (reply) => {
  console.log(`client got "${reply}"`);
  finished();
});
let events = 0; // two send callbacks and one reply, then done
function finished() {
  if (++events < 3) return;
  client.close();
  server.close();
}
client.send('hello', server.address().port, '127.0.0.1');
// It prints:
//   rinfo.address ::ffff:127.0.0.1, key 127.0.0.1
//   reply to ::ffff:127.0.0.1: sent
//   reply to 127.0.0.1: EINVAL
//   client got "as it came"   (this line may come earlier)
