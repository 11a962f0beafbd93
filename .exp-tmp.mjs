import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const ctx = await b.newContext({ javaScriptEnabled: false });
const p = await ctx.newPage();
await p.setContent('<html lang="de"><body><h1>Hi</h1><img src="x"><script>window.__x=1</script></body></html>');
try { console.log('evaluate', await p.evaluate(() => [typeof window.__x, document.title, 1+1])); } catch (e) { console.log('evaluate failed', e.message); }
try { await p.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' }); console.log('addScriptTag ok', await p.evaluate(() => typeof window.axe)); } catch (e) { console.log('addScriptTag failed', e.message.slice(0,200)); }
const fs = await import('node:fs');
try { await p.evaluate(fs.readFileSync('node_modules/axe-core/axe.min.js','utf8')); console.log('eval src', await p.evaluate(() => typeof window.axe)); 
 const r = await p.evaluate(() => window.axe.run(document, {runOnly:['wcag2a','wcag2aa']})); console.log('violations', r.violations.map(v=>v.id));
} catch (e) { console.log('eval src failed', e.message.slice(0,200)); }
console.log('locator img', await p.locator('img[src="x"]').count());
await b.close();
