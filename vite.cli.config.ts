// Builds the command line (src/cli) into build-cli/ with the same module resolution as the app
// ($lib, import.meta.glob for messages, ?raw imports), so the CLI runs the app's own services.
import { defineConfig } from 'vite';
import path from 'node:path';

export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	build: {
		ssr: 'src/cli/main.ts',
		outDir: 'build-cli',
		emptyOutDir: true,
		target: 'node20',
		rollupOptions: { output: { entryFileNames: 'index.js' } }
	},
	ssr: { noExternal: [] },
	logLevel: 'warn'
});
