// The console's entry point: wires each panel of the page.

import './style.css';
import { initCluster } from './cluster.js';
import { initCredential } from './credential.js';
import { initIngest } from './ingest.js';
import { initLogs } from './logs.js';
import { initQuery } from './query.js';

initCredential();
initQuery();
initCluster();
initIngest();
initLogs();
