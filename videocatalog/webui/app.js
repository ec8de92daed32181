// The page: catalog, video player, trending and upload, drawn from the contract's API (api.js).
"use strict";

const $ = (id) => document.getElementById(id);
const POLL_MS = 1000;
const TRENDING_MS = 3000;
let nextCursor = null;
let viewsRecorded = 0;  // POST /videos/{id}/views answered 202, on the video shown

function showError(exc) {
  $("error").textContent = exc ? exc.message : "";
  $("error").hidden = !exc;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const rendition = (video, name) => video.renditions.find((r) => r.name === name && r.status === "ready");

function card(video) {
  const thumb = rendition(video, "thumbnail");
  const link = el("a", {href: `#/videos/${encodeURIComponent(video.id)}`}, video.title);
  const picture = thumb ? el("img", {src: thumb.url, alt: `Thumbnail of ${video.title}`, width: 160})
    : el("div", {className: "no-thumb"}, video.status.replace("_", " "));
  return el("li", {className: "card"}, picture, el("h3", {}, link),
    el("p", {className: "meta"}, `${video.status} · ${video.tags.map((t) => "#" + t).join(" ")}`));
}

async function loadCatalog(append = false) {
  const params = {q: $("q").value.trim(), tag: $("tag").value.trim(), cursor: append ? nextCursor : ""};
  try {
    const page = await Api.list(params);
    if (!append) $("videos").replaceChildren();
    $("videos").append(...page.items.map(card));
    if (!page.items.length && !append) $("videos").append(el("li", {className: "empty"}, "No videos match."));
    nextCursor = page.next_cursor;
    $("more").hidden = !nextCursor;
    showError(null);
  } catch (exc) { showError(exc); }
}

async function loadTrending() {
  try {
    const body = await Api.trending();
    $("trending").replaceChildren(...body.items.map((item) => el("li", {},
      el("a", {href: `#/videos/${encodeURIComponent(item.id)}`}, item.title), ` (${item.views} views)`)));
  } catch (exc) { showError(exc); }
}

function play(video, name) {
  const r = rendition(video, name);
  const thumb = rendition(video, "thumbnail");
  const media = el(r.content_type.startsWith("audio/") ? "audio" : "video",
    {controls: true, preload: "metadata", src: r.url, title: `${video.title} (${name})`});
  if (thumb && media.tagName === "VIDEO") media.poster = thumb.url;
  media.dataset.rendition = name;
  media.addEventListener("play", () => Api.view(video.id).then(() => {
    viewsRecorded += 1;
    $("video-views").textContent = `Views recorded from this page: ${viewsRecorded}`;
  }, showError));
  $("player").replaceChildren(media);
}

async function showVideo(id) {
  try {
    const video = await Api.get(id);
    $("video-title").textContent = video.title;
    $("video-description").textContent = video.description;
    const reason = video.error ? `: ${video.error.message}` : "";
    $("video-status").textContent = `Status: ${video.status}${reason}`;
    const playable = video.renditions.filter((r) => r.status === "ready" && r.name !== "thumbnail");
    $("rendition").replaceChildren(...playable.map((r) => el("option", {value: r.name},
      r.width ? `${r.name} (${r.width}×${r.height})` : r.name)));
    $("rendition").disabled = !playable.length;
    $("rendition").onchange = () => play(video, $("rendition").value);
    $("video-views").textContent = "";
    viewsRecorded = 0;
    if (playable.length) play(video, playable[0].name); else $("player").replaceChildren();
    showError(null);
  } catch (exc) { showError(exc); }
}

async function waitUntilDone(id) {
  for (;;) {
    const video = await Api.get(id);
    $("up-status").textContent = `Status: ${video.status}`;
    if (video.status === "ready" || video.status === "failed") return video;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function submitUpload(event) {
  event.preventDefault();
  const form = event.target;
  const file = $("up-file").files[0];
  const tags = $("up-tags").value.split(",").map((t) => t.trim()).filter(Boolean);
  form.querySelector("button").disabled = true;
  $("up-progress").value = 0;
  try {
    $("up-status").textContent = "Creating…";
    const created = await Api.create({title: $("up-title").value, description: $("up-description").value, tags},
      $("token").value.trim());
    $("up-status").textContent = "Uploading…";
    await Api.upload(created.upload, file, (share) => { $("up-progress").value = Math.round(share * 100); });
    const video = await waitUntilDone(created.id);
    const link = el("a", {href: `#/videos/${encodeURIComponent(video.id)}`}, video.title);
    const outcome = video.status === "ready" ? "ready" : `failed: ${video.error ? video.error.message : "?"}`;
    $("up-status").replaceChildren(link, ` is ${outcome}`);
    showError(null);
    loadCatalog();
  } catch (exc) {
    $("up-status").textContent = "Upload stopped.";
    showError(exc);
  } finally { form.querySelector("button").disabled = false; }
}

// Which architecture and release answer, re-read so a deploy or a rollback shows without a reload.
function refresh() {
  Api.health().then((h) => { $("served-by").textContent = `Served by ${h.architecture}, release ${h.release}`; },
    () => { $("served-by").textContent = "API unreachable"; });
  loadTrending();
}

function route() {
  const match = /^#\/videos\/(.+)$/.exec(window.location.hash);
  $("catalog-view").hidden = Boolean(match);
  $("video-view").hidden = !match;
  if (match) showVideo(decodeURIComponent(match[1])); else { $("player").replaceChildren(); loadCatalog(); }
}

function start() {
  $("token").value = localStorage.getItem("catalog-token") || "";
  $("token").addEventListener("change", () => localStorage.setItem("catalog-token", $("token").value.trim()));
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); loadCatalog(); });
  $("more").addEventListener("click", () => loadCatalog(true));
  $("refresh-trending").addEventListener("click", loadTrending);
  $("upload-form").addEventListener("submit", submitUpload);
  window.addEventListener("hashchange", route);
  $("token-form").addEventListener("submit", (e) => e.preventDefault());
  route();
  refresh();
  setInterval(refresh, TRENDING_MS);
}

start();
