// Demo · lesson 03: the processing step, apart from the transport (the
// document's process_message). server.ts imports it; encoding.ts shows
// what it does with bytes that are not UTF-8, and with upper case.

// #region process
// Bytes in, bytes out, no sockets. `fatal: true` makes invalid UTF-8
// throw, as Python's decode('utf-8') does; `ignoreBOM: true` keeps a
// leading byte-order mark, as Python does too.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function processMessage(data: Buffer): Buffer {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    return Buffer.from('Error: Invalid encoding', 'utf8');
  }
  return Buffer.from(`Response: ${text.toUpperCase()}`, 'utf8');
}
// #endregion process
