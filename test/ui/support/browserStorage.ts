// What the workbench's page keeps in the browser: VS Code in a browser stores its state there (IndexedDB), the
// extension's workspaceState and the webview's state included. Read to check what must not be saved there.
import type { Workbench } from './workbench';

/** Every IndexedDB entry and localStorage item of the workbench's page that holds `needle`. */
export async function browserStorageWith(wb: Workbench, needle: string): Promise<string[]> {
  return wb.page.evaluate(async (needle) => {
    const decode = (value: unknown): string => {
      if (typeof value === 'string') return value;
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return new TextDecoder().decode(value);
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return String(value);
      }
    };
    const hits: string[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map(
            (request) => new Promise<unknown[]>((resolve, reject) => {
              request.onsuccess = () => resolve(request.result as unknown[]);
              request.onerror = () => reject(request.error);
            }),
          ),
        );
        values.forEach((value, i) => {
          if (decode(value).includes(needle)) hits.push(`${info.name}/${storeName}/${decode(keys[i])}`);
        });
      }
      db.close();
    }
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i) ?? '';
      if ((localStorage.getItem(name) ?? '').includes(needle)) hits.push(`localStorage/${name}`);
    }
    return hits;
  }, needle);
}
