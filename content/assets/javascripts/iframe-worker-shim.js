/* Web Workers for pages opened from a folder (file://), where browsers refuse real workers.
 * Based on iframe-worker 1.0.4 by Martin Donath (MIT, see iframe-worker-LICENSE.txt), with one change:
 * the "iframe loaded" promise is set up before the iframe document is written, and is also resolved when
 * the document is already complete, so a message sent early (mkdocs-material's search setup) is not lost. */
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
      this.ready = new Promise((resolve, reject) => {
        iframe.addEventListener("load", resolve, { once: true });
        iframe.addEventListener("error", reject, { once: true });
      });
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
      if (doc.readyState === "complete") this.ready = Promise.resolve();
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
