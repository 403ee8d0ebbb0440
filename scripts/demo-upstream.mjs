// A stand-in for GitHub releases on a machine without internet: serves the files of one directory on 127.0.0.1,
// with ETag and Last-Modified and 304 answers to conditional GETs, as a release download does.
// Usage: node scripts/demo-upstream.mjs <directory> <port>
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const [directory, port] = process.argv.slice(2);
if (!directory || !port) {
  console.error('usage: node scripts/demo-upstream.mjs <directory> <port>');
  process.exit(2);
}

createServer((request, response) => {
  const name = basename(decodeURIComponent(new URL(request.url, 'http://localhost').pathname));
  let stat;
  try {
    stat = statSync(join(directory, name));
  } catch {
    stat = null;
  }
  if (!stat?.isFile() || request.method !== 'GET') {
    response.writeHead(stat ? 405 : 404).end();
    return;
  }
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = { ETag: etag, 'Last-Modified': stat.mtime.toUTCString() };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers).end();
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': stat.size });
  createReadStream(join(directory, name)).pipe(response);
}).listen(Number(port), '127.0.0.1', () => console.log(`demo upstream: http://127.0.0.1:${port}/ serves ${directory}`));
