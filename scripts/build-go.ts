// `npm run build:go`: builds the three Go binaries (app, echo server, load generator) if their sources changed.
import { t } from '../lab/model/i18n.js';
import { buildGo, BIN_DIR } from '../lab/go/build.js';

const built = await buildGo((line) => console.log(t(line, 'en')));
console.log(built ? `built into ${BIN_DIR}` : `up to date in ${BIN_DIR}`);
