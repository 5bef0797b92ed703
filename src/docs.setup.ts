import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * The OpenAPI document at /docs-json and its UI at /docs (assets served
 * locally). The document is built on the first request for it, not at start:
 * most processes are never asked, and building it walks every controller's
 * metadata (start time, resident memory). SwaggerModule keeps it once built.
 */
export function setupDocs(app: INestApplication): void {
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Media stream service')
        .setDescription('Serves a folder of video and audio files with HTTP byte ranges.')
        .setVersion('1.0')
        .build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Media stream service API' });
}
