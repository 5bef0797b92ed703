import { parsePosterWidth } from './poster-width.js';

describe('parsePosterWidth', () => {
  it('takes the four widths and nothing else', () => {
    expect(parsePosterWidth(undefined)).toBeNull();
    expect([160, 320, 640, 1280].map((width) => parsePosterWidth(String(width)))).toEqual([160, 320, 640, 1280]);
    for (const bad of ['', '0', '100', '0640', '640.0', ' 640', '+640', '-160', '1e3', '99999999999', ['160', '320'], { a: '1' }]) {
      expect(parsePosterWidth(bad)).toBe('invalid');
    }
  });
});
