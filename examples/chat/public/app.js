import { Socket } from "/engine-client.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
// ?transports=polling or ?transports=websocket pins the transport (used by the e2e tests).
const transports = params.get("transports")?.split(",") ?? ["polling", "websocket"];
// closeOnBeforeunload: a closed tab says goodbye at once, even over long-polling.
const socket = new Socket({ transports, closeOnBeforeunload: true });

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
}

function addLine(html, className) {
  const li = document.createElement("li");
  if (className) li.className = className;
  li.append(...html);
  $("messages").append(li);
  li.scrollIntoView({ block: "end" });
}

socket.on("open", () => setStatus("open", `connected over ${socket.transport.name}`));
socket.on("upgrade", (transport) => setStatus("open", `connected over ${transport.name}`));
socket.on("close", (reason) => setStatus("closed", `disconnected (${reason})`));

socket.on("message", (data) => {
  const message = JSON.parse(data);
  if (message.kind === "said") {
    const from = document.createElement("b");
    from.textContent = message.from;
    addLine([from, document.createTextNode(` ${message.text}`)]);
  } else if (message.kind === "presence") {
    const who = message.joined ? `${message.joined} joined` : message.left ? `${message.left} left` : "";
    addLine([document.createTextNode(`${who} · ${message.count} online`)], "notice");
  }
});

$("join").addEventListener("submit", (event) => {
  event.preventDefault();
  socket.send(JSON.stringify({ kind: "join", name: $("name").value }));
  $("join").hidden = true;
  $("say").hidden = false;
  $("text").focus();
});

$("say").addEventListener("submit", (event) => {
  event.preventDefault();
  socket.send(JSON.stringify({ kind: "say", text: $("text").value }));
  $("text").value = "";
});

// Exposed for the end-to-end tests.
window.volleyChat = { socket };
