import { launchDevice, startRelay } from './lib/harness.mjs';
import { openApp, setUpDevice, goTo, fillContact } from './lib/app.mjs';
const relay = await startRelay();
const d = await launchDevice('dbg');
try {
  await openApp(d.page, relay.url);
  await d.page.selectOption('#language', 'ar');
  await setUpDevice(d.page, { mentor: 'x', community: 'y' });
  await goTo(d.page, '#/contacts/new');
  await fillContact(d.page, { name: '', phone: 'abc', consent: false });
  await d.page.click('#save-contact');
  await d.page.waitForSelector('#error-phone');
  const t = await d.page.textContent('#error-phone');
  console.log(JSON.stringify(t), [...t.slice(-20)].map(c => c.codePointAt(0).toString(16)).join(' '));
} finally { await d.close(); await relay.dispose(); }
