import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countBodyBytes, type ObservedResponse, RequestRecord, sendIdWithHead } from './counted-response.js';

type Handler = (response: ServerResponse) => void;

/** A real server whose every response is observed as the RequestObserver does, answering with `handler`. */
async function serve(handler: Handler): Promise<{ server: Server; port: number; records: RequestRecord[] }> {
  const records: RequestRecord[] = [];
  const server = createServer((_request, response) => {
    const record = new RequestRecord(`id-${records.length + 1}`, '/', 0, false);
    records.push(record);
    countBodyBytes(response as ObservedResponse, record);
    sendIdWithHead(response as ObservedResponse, record);
    handler(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, records };
}

function fetchHead(port: number): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('latin1');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ response, body }));
    }).on('error', reject);
  });
}

/** Every value of `name` in the raw head, however it is spelt. */
function fieldValues(response: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    if (response.rawHeaders[i].toLowerCase() === name) values.push(response.rawHeaders[i + 1]);
  }
  return values;
}

describe('sendIdWithHead', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
    server = null;
  });

  async function answer(handler: Handler): Promise<{ response: IncomingMessage; body: string; records: RequestRecord[] }> {
    const started = await serve(handler);
    server = started.server;
    return { ...(await fetchHead(started.port)), records: started.records };
  }

  it("joins writeHead's own fields, leaving the caller's object as it was", async () => {
    const fields = { 'Content-Type': 'text/plain', 'Content-Length': '2' };
    const { response, body, records } = await answer((res) => res.writeHead(206, fields).end('ok'));
    expect(response.statusCode).toBe(206);
    expect(fieldValues(response, 'x-request-id')).toEqual(['id-1']);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(body).toBe('ok');
    expect(fields).toEqual({ 'Content-Type': 'text/plain', 'Content-Length': '2' });
    expect(records[0].bytes).toBe(2);
  });

  it('is set once beside headers set before writeHead', async () => {
    const { response } = await answer((res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('x');
    });
    expect(fieldValues(response, 'x-request-id')).toEqual(['id-1']);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each<[string, Handler]>([
    ['given to writeHead', (res) => res.writeHead(200, { 'x-request-id': 'own' }).end()],
    ['set before', (res) => res.setHeader('X-Request-Id', 'own').end()],
  ])('leaves an ID the handler %s, once', async (_name, handler) => {
    const { response } = await answer(handler);
    expect(fieldValues(response, 'x-request-id')).toEqual(['own']);
  });

  it.each<[string, Handler]>([
    ['a reason phrase and fields', (res) => res.writeHead(418, 'Short And Stout', { 'Content-Length': '0' }).end()],
    ['fields as an array', (res) => res.writeHead(418, ['Content-Length', '0']).end()],
    ['no fields', (res) => res.writeHead(418).end()],
    ['end() alone (an implicit head)', (res) => { res.statusCode = 418; res.end('teapot'); }],
    ['write() first', (res) => { res.statusCode = 418; res.write('tea'); res.end('pot'); }],
  ])('is on a head written with %s', async (_name, handler) => {
    const { response } = await answer(handler);
    expect(response.statusCode).toBe(418);
    expect(fieldValues(response, 'x-request-id')).toEqual(['id-1']);
  });

  it('keeps the reason phrase', async () => {
    const { response } = await answer((res) => res.writeHead(418, 'Short And Stout', { 'Content-Length': '0' }).end());
    expect(response.statusMessage).toBe('Short And Stout');
  });

  it('still refuses a second writeHead, as Node does', async () => {
    let second: unknown = null;
    await answer((res) => {
      res.writeHead(200, { 'Content-Length': '0' });
      try {
        res.writeHead(500);
      } catch (error) {
        second = error;
      }
      res.end();
    });
    expect(second).toMatchObject({ code: 'ERR_HTTP_HEADERS_SENT' });
  });
});
