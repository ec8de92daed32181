// The contract's HTTP API (videocatalog/openapi.yaml), and nothing else: every call the page makes is here.
"use strict";

const Api = (() => {
  const base = ((window.CATALOG_CONFIG || {}).api || window.location.origin).replace(/\/+$/, "");

  // The contract's error.message, or a plain description when the answer is not the contract's JSON.
  function errorMessage(status, body) {
    if (body && body.error && body.error.message) return body.error.message;
    if (body && body.message) return body.message;  // API Gateway's own errors ({"message": ...})
    return `HTTP ${status}`;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super(errorMessage(status, body));
      this.status = status;
      this.code = body && body.error ? body.error.code : null;
    }
  }

  async function call(method, path, {body, token} = {}) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["Authorization"] = `Bearer ${token}`;
    let resp;
    try {
      resp = await fetch(base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (exc) {
      throw new ApiError(0, {error: {message: `cannot reach the API at ${base} (${exc.message})`}});
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  // PUT the file to the opaque upload.url with upload.headers, reporting progress (fetch cannot).
  function upload(spec, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(spec.method, spec.url);
      for (const [name, value] of Object.entries(spec.headers || {})) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) { onProgress(1); resolve(); return; }
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (_) { data = null; }
        // S3 answers XML errors: show its <Message> when there is no JSON one.
        const xml = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText || "");
        reject(new ApiError(xhr.status, data || (xml ? {error: {message: xml[1]}} : null)));
      };
      xhr.onerror = () => reject(new ApiError(0, {error: {message: "the upload could not reach its URL"}}));
      xhr.send(file);
    });
  }

  const query = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : "";
  };

  return {
    base,
    health: () => call("GET", "/health"),
    list: (params) => call("GET", `/videos${query(params)}`),
    get: (id) => call("GET", `/videos/${encodeURIComponent(id)}`),
    create: (video, token) => call("POST", "/videos", {body: video, token}),
    view: (id) => call("POST", `/videos/${encodeURIComponent(id)}/views`),
    trending: () => call("GET", "/trending"),
    upload,
  };
})();
