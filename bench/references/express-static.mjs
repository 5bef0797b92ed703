// Reference server (a): express.static on the media folder, behind the same
// URL shape as the service, so every load generator sends identical requests.
// express.static (the `send` package) streams with fs.createReadStream and
// answers single Range requests with 206.
//
// Env: PORT, HOST (default 127.0.0.1), MEDIA_ROOT.

import express from 'express';

const root = process.env.MEDIA_ROOT;
const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!root || !Number.isInteger(port)) {
  console.error('express-static: MEDIA_ROOT and PORT are required');
  process.exit(1);
}

const app = express();
app.disable('x-powered-by');

const files = express.static(root, { index: false, redirect: false, fallthrough: false, dotfiles: 'ignore' });

app.get('/api/videos/:id/stream', (req, res, next) => {
  // The ID (already decoded by the router) becomes the path express.static
  // looks up below root; each segment re-encoded because `send` decodes again.
  req.url = `/${req.params.id.split('/').map(encodeURIComponent).join('/')}`;
  files(req, res, next);
});

const server = app.listen(port, host, () => {
  console.log(`express-static serving ${root} on http://${host}:${port}`);
});
server.on('error', (error) => {
  console.error(`express-static: ${error.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
