import { LIBRARY_SORTS, type LibrarySort, type LibraryView } from './library-page.js';

const MAX_Q_LENGTH = 1024;

/**
 * The library page's choices from its query string. A page is forgiving
 * where the JSON API is strict: an unknown value falls back to the default
 * rather than answering 400, since people edit these URLs by hand.
 */
export function parseLibraryView(query: Readonly<Record<string, unknown>>): LibraryView {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const sort = text(query.sort);
  const type = text(query.type);
  const page = text(query.page);
  return {
    q: text(query.q).slice(0, MAX_Q_LENGTH),
    type: type === 'video' || type === 'audio' ? type : null,
    sort: (LIBRARY_SORTS as readonly string[]).includes(sort) ? (sort as LibrarySort) : 'name',
    order: text(query.order) === 'desc' ? 'desc' : 'asc',
    page: /^[1-9][0-9]{0,6}$/.test(page) ? Number(page) : 1,
  };
}
