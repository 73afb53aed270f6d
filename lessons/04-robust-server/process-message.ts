// Demo · lesson 04: a processor that fails on purpose, for server.ts. The
// document's process_message is data.upper(); this one also throws on
// "boom", and takes a second over "slow".

export async function processMessage(data: Buffer): Promise<Buffer> {
  const text = data.toString('utf8');
  if (text === 'boom') throw new Error('boom on purpose');
  if (text === 'slow') await new Promise((r) => setTimeout(r, 1000));
  return Buffer.from(text.toUpperCase(), 'utf8');
}
