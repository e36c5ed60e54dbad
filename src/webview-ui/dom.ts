// Small helpers that build the view's DOM (elements, codicons, buttons) and fill in localised templates.

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

export function icon(name: string): HTMLElement {
  return element('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

export function button(label: string, iconName: string, attrs: Record<string, string>, options: { iconOnly?: boolean; primary?: boolean } = {}): HTMLButtonElement {
  const node = element('button', {
    className: `${options.iconOnly ? 'icon-button' : 'text-button'}${options.primary ? ' primary' : ''}`,
    attrs: { type: 'button', title: label, 'aria-label': label, ...attrs },
  });
  node.appendChild(icon(iconName));
  if (!options.iconOnly) node.appendChild(element('span', { text: label }));
  return node;
}

export function format(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(values[Number(index)] ?? match));
}
