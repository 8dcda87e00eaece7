/* Web Workers for pages opened from a folder (file://), where browsers refuse real workers.
 * Based on iframe-worker 1.0.4 by Martin Donath (MIT, see iframe-worker-LICENSE.txt), with one change:
 * messages wait until the iframe document (and the worker script in it) has finished loading, found by
 * watching its readyState; the original relied on an onload handler set after the document was written,
 * which can miss the event, and mkdocs-material's search setup message was then lost. */
"use strict";
(() => {
  function relay(data, origin) { parent.postMessage(data, origin || "*"); }
  function loadScripts(...urls) {
    return urls.reduce((done, url) => done.then(() => new Promise(resolve => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      document.body.appendChild(script);
    })), Promise.resolve());
  }
  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      const iframe = document.createElement("iframe");
      iframe.hidden = true;
      document.body.appendChild(this.iframe = iframe);
      this.onMessage = event => {
        if (event.source !== this.w) return;
        this.dispatchEvent(new MessageEvent("message", { data: event.data }));
        if (this.onmessage) this.onmessage(event);
      };
      window.addEventListener("message", this.onMessage);
      const doc = this.w.document;
      doc.open();
      doc.write(`<html><body><script>postMessage=${relay};importScripts=${loadScripts};<\/script>` +
                `<script src="${url}"><\/script></body></html>`);
      doc.close();
      this.ready = new Promise(resolve => {
        const check = () => (doc.readyState === "complete" ? resolve() : setTimeout(check, 20));
        check();
      });
    }
    get w() { return this.iframe.contentWindow; }
    postMessage(data) {
      this.ready.then(() => this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data }))));
    }
    terminate() {
      window.removeEventListener("message", this.onMessage);
      this.iframe.remove();
    }
  }
  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
