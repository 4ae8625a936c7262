"""The emulated ISR's configuration: apply one line in a context, keep the tree, print it.

The grammar (lab/grammar/modes.py) decides what a line means; lab/config/semantics.py what IOS
does beyond storing it; lab/config/print_order.py where IOS prints it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lab.config import print_order, semantics, type6
from lab.config.factory import factory_lines
from lab.config.tree import Block
from lab.grammar.engine import Cmd, IosError, ParseResult, ambiguous_text, invalid, tokenize
from lab.grammar.modes import grammar, interface_mode, prompt
from lab.hardware.interfaces import CREATABLE, MAX_VIRTUAL, match_type, sort_key, split_name
from lab.hardware.models import MODELS, model_of_pid, refused_word

__all__ = ["ApplyResult", "ConfigStore", "InterfaceInfo", "IosError", "VrfInfo"]

MAX_VLAN = 4094
# IOS refuses an address on a LAN subinterface before its 802.1Q VLAN is set; wording, blank
# lines and trailing spaces as a public IOL lab log prints them (`R1(config-subif)#ip addr ...`
# typed before `encapsulation dot1Q 3`)
SUBIF_NO_VLAN_MESSAGE = (
    "\n% Configuring IP routing on a LAN subinterface is only allowed if that \n"
    "subinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q, \n"
    "or ISL vLAN.\n"
)

# lines a new block starts with, as IOS prints them
BLOCK_DEFAULTS: dict[str, list[str]] = {
    "if-tunnel": ["no ip address"],
    "if-loopback": ["no ip address"],
}
BLOCK_DEFAULT_CHILDREN: dict[str, list[tuple[str, str]]] = {
    "eigrp-af": [("topology base", "af-topology")],
}


@dataclass
class ApplyResult:
    context: list[str] | None
    mode: str
    error: IosError | None = None
    messages: list[str] = field(default_factory=list)


@dataclass
class InterfaceInfo:
    name: str
    ip: str | None
    mask: str | None
    dhcp: bool
    vrf: str | None
    shutdown: bool


@dataclass
class VrfInfo:
    name: str
    rd: str | None
    address_families: list[str]
    interfaces: list[str]


def _slot(cmd: Cmd, tokens: list[str]) -> str:
    if cmd.slot:
        return cmd.slot
    words = tokens[1:] if tokens and tokens[0] == "no" and cmd.pattern.startswith("no ") else tokens
    return " ".join(words[: cmd.key] if cmd.key else words)


class ConfigStore:
    """One device's running configuration."""

    def __init__(self, model: str) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r} (known: {', '.join(MODELS)})")
        self.model = model
        self.root = Block("", "global")
        # `key config-key password-encrypt`: kept in private NVRAM, never in running-config
        self.config_key: str | None = None

    # ------------------------------------------------------------ construction
    @classmethod
    def factory(cls, hostname: str, model: str) -> ConfigStore:
        return cls.from_text("\n".join(factory_lines(hostname, model)), model=model)

    @classmethod
    def from_text(
        cls, text: str, model: str | None = None, config_key: str | None = None
    ) -> ConfigStore:
        """Load a saved running-config (``config_key``: the device's master key, kept apart);
        ValueError naming the first line IOS would refuse."""
        store = cls(model or _guess_model(text))
        store.config_key = config_key
        context: list[str] | None = []
        for number, raw in enumerate(text.splitlines(), 1):
            stripped = raw.strip()
            if _skip_saved_line(stripped):
                continue
            if context is None:
                break
            result = store.apply(context, raw)
            if result.error is not None:
                raise ValueError(f"line {number}: {stripped!r}: {result.error.text}")
            context = result.context
        return store

    def copy(self) -> ConfigStore:
        return copy.deepcopy(self)

    # ------------------------------------------------------------ interface names
    def interface_name(self, text: str, create: bool) -> str | None:
        """Canonical interface name for `g0/0/0`, `Tu42`, `g0/0/0.100`, ... or None if not valid
        here: the types are this model's ports and the virtual ones (lab/hardware/interfaces.py),
        plus `Vlan` on a model with layer-2 switchports (ISR1100)."""
        typed, number = split_name(text)
        if not typed or not number:
            return None
        hardware = MODELS[self.model]
        creatable = (*CREATABLE, "Vlan") if hardware.switchports else CREATABLE
        types = [*creatable, *dict.fromkeys(split_name(n)[0] for n in hardware.interfaces)]
        kind = match_type(typed, types)
        if kind is None:
            return None
        if kind in creatable:
            if not number.isdigit() or int(number) > MAX_VIRTUAL:
                return None
            if kind == "Vlan" and not 1 <= int(number) <= MAX_VLAN:
                return None
            name = kind + str(int(number))
            return name if create or self._interface_block(name) else None
        port, _, sub = number.partition(".")
        if kind + port not in hardware.interfaces:
            return None
        if not sub:
            return kind + port
        if kind + port in hardware.switchports or not sub.isdigit() or int(sub) > MAX_VIRTUAL:
            return None
        # a subinterface may be named before it is created: real running-configs print
        # `tunnel source GigabitEthernet1.15` above `interface GigabitEthernet1.15`
        return f"{kind}{port}.{int(sub)}"

    # ------------------------------------------------------------ apply
    def apply(self, context: list[str], line: str) -> ApplyResult:
        """Apply one line typed in `context` (parent lines of the current sub-mode)."""
        text = line.strip()
        modes = self._modes(context)
        context = context[: len(modes) - 1]
        if not text or text.startswith("!"):
            return ApplyResult(context, prompt(modes[-1]))
        if len(modes) == 1:  # a global line some platforms lack (lab/hardware/models.py)
            words = text.split()
            refused = refused_word(MODELS[self.model].family, words)
            if refused is not None:
                column = len(line) - len(line.lstrip()) + text.index(words[refused])
                return ApplyResult(context, prompt(modes[-1]), invalid(column))
        best: IosError | None = None
        for level in range(len(modes) - 1, -1, -1):
            parsed = self._parse(modes[level], text)
            if parsed.error is None and parsed.cmd is not None:
                try:
                    return self._execute(context[:level], modes, level, parsed)
                except semantics.Refused as refused:
                    error = IosError("refused", 0, refused.message)
                    return ApplyResult(context, prompt(modes[-1]), error)
            assert parsed.error is not None
            if best is None or parsed.error.column > best.column:
                best = parsed.error
        assert best is not None
        if best.kind == "ambiguous":
            best = IosError("ambiguous", best.column, ambiguous_text(text))
        return ApplyResult(context, prompt(modes[-1]), best)

    def _parse(self, mode: str, text: str) -> ParseResult:
        g = grammar(mode)
        full = g.parse(text, self)
        tokens = tokenize(text)
        if full.error is None or tokens[0].text.lower() != "no":
            return full
        if len(tokens) == 1:
            return ParseResult(error=IosError("incomplete", len(text), full.error.text))
        rest = text[tokens[1].column :]
        negated = g.parse(rest, self, negate=True, offset=tokens[1].column)
        if negated.error is not None:
            return negated if negated.error.column >= full.error.column else full
        negated.tokens = ["no", *negated.tokens]
        return negated

    def _modes(self, context: list[str]) -> list[str]:
        modes = ["global"]
        block = self.root
        for parent in context:
            child = block.find(parent)
            if child is None or child.mode is None:
                break
            modes.append(child.mode)
            block = child
        return modes

    def _block(self, path: list[str]) -> Block:
        block = self.root
        for parent in path:
            found = block.find(parent)
            assert found is not None
            block = found
        return block

    def _execute(
        self, path: list[str], modes: list[str], level: int, parsed: ParseResult
    ) -> ApplyResult:
        """Run a parsed line at `level` of the context (lower than the current one when the
        command belongs to a parent mode: IOS leaves the sub-modes on the way)."""
        cmd, tokens = parsed.cmd, parsed.tokens
        assert cmd is not None
        mode = modes[level]
        parent = self._block(path)
        messages: list[str] = []
        if cmd.store == "end":
            return ApplyResult(None, "exec")
        if cmd.store == "exit":
            if level == 0:
                return ApplyResult(None, "exec")
            return ApplyResult(path[:-1], prompt(modes[level - 1]))
        if mode == "ext-nacl" and cmd.store in ("set", "remove"):
            semantics.acl_entry(parent, tokens, remove=parsed.negated or cmd.store == "remove")
            return ApplyResult(path, prompt(mode), None, messages)
        if tokens[-3:-1] == ["config-key", "password-encrypt"] or tokens[-2:] == [
            "config-key",
            "password-encrypt",
        ]:
            new = None if tokens[0] == "no" else tokens[-1]
            type6.reencrypt(self.root, self.config_key, new)
            self.config_key = new
            return ApplyResult(path, prompt(mode), None, messages)
        if parsed.negated:
            self._negate(parent, mode, cmd, tokens[1:], messages)
            return ApplyResult(path, prompt(mode), None, messages)
        semantics.check_references(self.root, mode, tokens)
        line = " ".join(tokens)
        if cmd.enters:
            switchports = MODELS[self.model].switchports
            sub_mode = interface_mode(tokens[1], switchports) if cmd.enters == "if" else cmd.enters
            block = self._enter(parent, cmd, tokens, sub_mode)
            return ApplyResult([*path, block.line], prompt(sub_mode), None, messages)
        if cmd.store == "noop":
            semantics.check_key_name(self.root, tokens)
        slot = _slot(cmd, tokens)
        if cmd.store == "remove":
            parent.children = [c for c in parent.children if c.slot != slot]
        elif cmd.store == "set":
            line = semantics.stored_form(mode, tokens, line)
            if mode == type6.KEY_MODE:
                enabled = type6.encrypting(self.root, self.config_key)
                line = type6.stored_key_line(line, self.config_key, enabled)
            elif line == type6.ENABLED_LINE and self.config_key is None:
                messages.append(type6.NO_MASTER_KEY_MESSAGE)
            untagged = parent.by_slot("encapsulation") is None
            if mode == "if-subinterface" and tokens[:2] == ["ip", "address"] and untagged:
                raise semantics.Refused(SUBIF_NO_VLAN_MESSAGE)
            if mode.startswith("if-"):
                messages += semantics.interface_effects(self.root, parent, tokens)
            existing = parent.by_slot(slot)
            if existing is not None:
                existing.line = line
            else:
                parent.children.append(Block(line, None, slot))
            if line == type6.ENABLED_LINE:  # current keys are encrypted now too
                type6.reencrypt(self.root, self.config_key, self.config_key)
        return ApplyResult(path, prompt(mode), None, messages)

    def _enter(self, parent: Block, cmd: Cmd, tokens: list[str], sub_mode: str) -> Block:
        slot = _slot(cmd, tokens)
        line = " ".join(tokens)
        existing = parent.by_slot(slot)
        if existing is not None:
            existing.line = line
            return existing
        block = Block(line, sub_mode, slot)
        for default in BLOCK_DEFAULTS.get(sub_mode, []):
            block.children.append(Block(default, None, default.removeprefix("no ")))
        for child_line, child_mode in BLOCK_DEFAULT_CHILDREN.get(sub_mode, []):
            block.children.append(Block(child_line, child_mode, child_line))
        parent.children.append(block)
        return block

    def _negate(
        self, parent: Block, mode: str, cmd: Cmd, tokens: list[str], messages: list[str]
    ) -> None:
        slot = _slot(cmd, tokens)
        if cmd.enters:
            target = parent.by_slot(slot) if cmd.key else parent.find(" ".join(tokens))
            if target is None:
                return
            if (
                mode == "global"
                and tokens[0] == "interface"
                and not tokens[1].startswith((*CREATABLE, "Vlan"))
                and "." not in tokens[1]
            ):
                raise semantics.Refused(semantics.PHYSICAL_DELETE_MESSAGE)
            messages += semantics.release(self.root, target)
            parent.children.remove(target)
            return
        if mode.startswith("if-") and tokens[:2] == ["vrf", "forwarding"]:
            messages += semantics.disable_vrf(parent)
        if cmd.key or cmd.slot:
            parent.children = [c for c in parent.children if c.slot != slot]
        else:  # list entries: `no ip nhrp nhs 10.0.0.1` removes the entry whatever follows
            line = " ".join(tokens)
            parent.children = [
                c for c in parent.children if c.line != line and not c.line.startswith(line + " ")
            ]
        if (
            mode.startswith("if-")
            and mode != "if-switchport"
            and parent.by_slot("ip address") is None
        ):
            parent.children.append(Block("no ip address", None, "ip address"))

    def _interface_block(self, name: str) -> Block | None:
        return self.root.find(f"interface {name}")

    # ------------------------------------------------------------ views
    @property
    def hostname(self) -> str:
        block = self.root.by_slot("hostname")
        return block.line.split()[1] if block else "Router"

    def running_config(self) -> str:
        return print_order.render_running(self.root)

    def interface_config(self, name: str) -> str | None:
        canonical = self.interface_name(name.replace(" ", ""), create=False)
        block = self._interface_block(canonical) if canonical else None
        if block is None:
            return None
        return "\n".join(["!", *print_order.render_block(block, 0), "end"]) + "\n"

    def interfaces(self) -> list[InterfaceInfo]:
        result = []
        blocks = semantics.interfaces(self.root)
        for block in sorted(blocks, key=lambda b: sort_key(b.words[1])):
            address = block.by_slot("ip address")
            words = address.words if address else []
            ip, mask = (
                (words[2], words[3]) if len(words) == 4 and words[0] == "ip" else (None, None)
            )
            result.append(
                InterfaceInfo(
                    name=block.words[1],
                    ip=ip,
                    mask=mask,
                    dhcp=words[2:3] == ["dhcp"],
                    vrf=semantics.interface_vrf(block),
                    shutdown=block.by_slot("shutdown") is not None,
                )
            )
        return result

    def vrfs(self) -> list[VrfInfo]:
        members: dict[str, list[str]] = {}
        for info in self.interfaces():
            if info.vrf:
                members.setdefault(info.vrf, []).append(info.name)
        result = []
        for block in self.root.children:
            if not block.line.startswith("vrf definition "):
                continue
            name = block.line.split()[2]
            rd = block.by_slot("rd")
            afs = [
                " ".join(c.line.split()[1:])
                for c in block.children
                if c.line.startswith("address-family ")
            ]
            result.append(
                VrfInfo(name, rd.line.split()[1] if rd else None, afs, members.get(name, []))
            )
        return sorted(result, key=lambda v: v.name)


def factory_config(
    hostname: str,
    model: str,
    username: str = "admin",
    password: str = "admin",
    enable_secret: str = "admin",
) -> str:
    """`show running-config` body of a factory ISR with SSH enabled (the store's own text)."""
    text = "\n".join(factory_lines(hostname, model, username, password, enable_secret))
    return ConfigStore.from_text(text, model=model).running_config()


def _skip_saved_line(stripped: str) -> bool:
    return not stripped or stripped.startswith(
        ("!", "Building configuration", "Current configuration")
    )


def _guess_model(text: str) -> str:
    """The model a saved config belongs to: its `license udi pid`, else its interfaces."""
    for raw in text.splitlines():
        words = raw.split()
        if words[:3] == ["license", "udi", "pid"] and len(words) > 3:
            model = model_of_pid(words[3])
            if model:
                return model
    used = {
        raw.split()[1]
        for raw in text.splitlines()
        if raw.startswith("interface ") and len(raw.split()) == 2
    }
    for hardware in MODELS.values():
        physical = set(hardware.interfaces)
        if used & physical and all(u in physical or u.startswith(CREATABLE) for u in used):
            return hardware.name
    return next(iter(MODELS))
