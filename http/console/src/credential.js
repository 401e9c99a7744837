// The credential the console sends: pasted once, kept in local storage, asked for again on a 401.

const KEY = 'meridian.console.credential';

const listeners = [];

/** Whether the user closed the box without a new credential: background calls then stop asking. */
let dismissed = false;

/** The stored secret, or null (open mode needs none). */
export function credential() {
  return localStorage.getItem(KEY);
}

/** Calls `listener` whenever the credential is saved or forgotten. */
export function onCredentialChange(listener) {
  listeners.push(listener);
}

/**
 * Runs `load` now, whenever the credential changes, and every `millis` while the page is visible;
 * a run still in flight is not started again.
 */
export function keepFresh(load, millis) {
  let inFlight = false;
  const refresh = async () => {
    if (inFlight) {
      return;
    }
    inFlight = true;
    try {
      await load();
    } finally {
      inFlight = false;
    }
  };
  onCredentialChange(refresh);
  refresh();
  setInterval(() => {
    if (!document.hidden) {
      refresh();
    }
  }, millis);
}

/**
 * Opens the credential box, saying why (e.g. the API's 401 message). A `background` ask (a panel
 * refreshing itself) does not reopen a box the user has dismissed, until the credential changes.
 */
export function askForCredential(reason, { background = false } = {}) {
  const dialog = document.getElementById('credential');
  if (background && dismissed) {
    return;
  }
  document.getElementById('credential-reason').textContent = reason ?? '';
  if (!dialog.open) {
    document.getElementById('credential-secret').value = credential() ?? '';
    dialog.showModal();
  }
}

/** Wires the credential box and the header button that opens it. */
export function initCredential() {
  const dialog = document.getElementById('credential');
  const input = document.getElementById('credential-secret');
  const button = document.getElementById('credential-open');
  const show = () => {
    button.textContent = credential() ? 'Credential: set' : 'Credential: none';
  };
  const store = (secret) => {
    if (secret) {
      localStorage.setItem(KEY, secret);
    } else {
      localStorage.removeItem(KEY);
    }
    show();
    dismissed = false;
    dialog.close();
    listeners.forEach((listener) => listener());
  };
  button.addEventListener('click', () => askForCredential(''));
  document.getElementById('credential-form').addEventListener('submit', (event) => {
    event.preventDefault();
    store(input.value.trim());
  });
  document.getElementById('credential-clear').addEventListener('click', () => store(''));
  const dismiss = () => {
    dismissed = true;
  };
  document.getElementById('credential-cancel').addEventListener('click', () => {
    dismiss();
    dialog.close();
  });
  // Escape closes the box too.
  dialog.addEventListener('cancel', dismiss);
  show();
}
