import 'reflect-metadata';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { AuthModule } from '@app/auth/auth.module';
import { loadConfig } from '@app/core/config/app-config';
import { VoiceModule } from '@app/voice/voice.module';
import { WorkerModule } from './worker.module';

/** The worker's module graph, built without a database (preview mode instantiates no provider). */
async function workerGraph(): Promise<{ modules: Type[]; providers: Type[]; close: () => Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    WorkerModule.register({
      config,
      databaseUrl: 'postgres://worker-graph.invalid/none',
      logDestination: { write: () => undefined },
    }),
    { preview: true, logger: false },
  );
  const container = app.get(ModulesContainer);
  const modules = [...container.values()].map((module) => module.metatype);
  const providers = [...container.values()].flatMap((module) =>
    [...module.providers.values()].map((wrapper) => wrapper.metatype).filter((type): type is Type => !!type),
  );
  return { modules, providers, close: () => app.close() };
}

describe(WorkerModule.name, () => {
  it('should load neither auth, the voice relay, the Deepgram client nor any guard', async () => {
    const sut = await workerGraph();
    try {
      expect(sut.modules).not.toContain(AuthModule);
      expect(sut.modules).not.toContain(VoiceModule);
      // By name: importing the relay or the Deepgram client here leaves the SDK's handles open.
      const names = sut.providers.map((type) => type.name);
      expect(names).not.toContain('VoiceRelayService');
      expect(names).not.toContain('DeepgramGateway');
      const guards = sut.providers.filter(
        (type) => typeof (type.prototype as { canActivate?: unknown })?.canActivate === 'function',
      );
      expect(guards.map((type) => type.name)).toEqual([]);
    } finally {
      await sut.close();
    }
  });
});
