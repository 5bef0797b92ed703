import { ConfigValidationError } from './config-validation.error.js';
import { parseCatalogSettings } from './catalog.config.js';

describe('parseCatalogSettings', () => {
  it('defaults CATALOG_RESCAN_SECONDS to 10 on the file system and 60 on S3', () => {
    expect(parseCatalogSettings({})).toEqual({ rescanSeconds: 10 });
    expect(parseCatalogSettings({ MEDIA_BACKEND: 'fs', CATALOG_RESCAN_SECONDS: ' ' })).toEqual({ rescanSeconds: 10 });
    expect(parseCatalogSettings({ MEDIA_BACKEND: 'S3' })).toEqual({ rescanSeconds: 60 });
  });

  it.each(['1', '30', '86400'])('takes %s', (value) => {
    expect(parseCatalogSettings({ CATALOG_RESCAN_SECONDS: value })).toEqual({ rescanSeconds: Number(value) });
  });

  it.each(['0', '-1', '86401', '1.5', 'ten', '10s'])('refuses %s with one line naming the variable', (value) => {
    let error: unknown;
    try {
      parseCatalogSettings({ CATALOG_RESCAN_SECONDS: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message.startsWith('Invalid configuration: CATALOG_RESCAN_SECONDS ')).toBe(true);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  });
});
