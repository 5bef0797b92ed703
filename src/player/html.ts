const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function humanSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --bg: #fafafa; --card: #fff; --line: #e3e3e8; --accent: #0a66d8; }
@media (prefers-color-scheme: dark) { :root { --fg: #f2f2f7; --muted: #a1a1a6; --bg: #141416; --card: #1f1f22; --line: #333338; --accent: #5aa2ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1120px; margin: 0 auto; padding: 16px; }
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; }
header a.home { font-weight: 700; font-size: 1.25rem; color: var(--fg); text-decoration: none; }
a { color: var(--accent); }
form.search { display: flex; gap: 8px; flex: 1 1 280px; max-width: 480px; }
form.search input { flex: 1; min-width: 0; padding: 8px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--card); color: var(--fg); font: inherit; }
button, .button { padding: 8px 14px; border: 0; border-radius: 8px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; text-decoration: none; display: inline-block; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; margin-bottom: 12px; }
form.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 0.875rem; color: var(--muted); }
form.controls select { padding: 6px 8px; border: 1px solid var(--line); border-radius: 8px; background: var(--card); color: var(--fg); font: inherit; }
ul.grid { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
li.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
li.card a { display: block; color: var(--fg); text-decoration: none; }
li.card .title { display: block; padding: 8px 10px 0; font-weight: 600; word-break: break-word; }
li.card .meta { padding: 2px 10px 10px; }
.thumb { position: relative; display: block; aspect-ratio: 16 / 9; background: #26262b; overflow: hidden; }
.thumb img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
.thumb .icon { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; font-size: 2rem; color: #8e8e93; }
.thumb .badge { position: absolute; right: 6px; bottom: 6px; padding: 1px 6px; border-radius: 4px; background: rgba(0, 0, 0, 0.75); color: #fff; font-size: 0.75rem; font-variant-numeric: tabular-nums; }
.meta { color: var(--muted); font-size: 0.875rem; word-break: break-word; }
nav.pages { display: flex; gap: 12px; justify-content: space-between; align-items: center; margin: 16px 0; }
video { width: 100%; max-height: 70vh; background: #000; border-radius: 10px; }
textarea { width: 100%; font: 0.875rem/1.4 ui-monospace, monospace; padding: 8px; border-radius: 8px; border: 1px solid var(--line); background: var(--card); color: var(--fg); }
h1 { font-size: 1.4rem; word-break: break-word; margin: 12px 0 4px; }
`;

/** A complete page of the player UI; `body` must already be escaped HTML. */
export function page(title: string, body: string, searchValue = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<a class="home" href="/">Media library</a>
<form class="search" action="/" method="get" role="search">
<input type="search" name="q" value="${escapeHtml(searchValue)}" placeholder="Search by name or folder" aria-label="Search">
<button type="submit">Search</button>
</form>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}
