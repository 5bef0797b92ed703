import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /docs-json and its UI at /docs (assets served locally). */
export function setupDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Media stream service')
    .setDescription('Serves a folder of video and audio files with HTTP byte ranges.')
    .setVersion('1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Media stream service API' });
}
