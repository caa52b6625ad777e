// The werkplek's theme: design tokens for the NL Design System components of
// @utrecht/component-library-css (which ships components, not a theme), plus the layout of the
// header, navigation and content. Served with the component CSS as /werkplek.css; colours meet WCAG
// 2.1 AA contrast (4.5:1 for text) on their backgrounds.
export const THEMA_CSS = `
.werkplek-thema {
  --werkplek-blauw: #154273;
  --werkplek-blauw-donker: #0b2747;
  --werkplek-lichtblauw: #e5f0f9;
  --werkplek-grijs: #595959;
  --werkplek-rood: #a4151f;
  --werkplek-groen: #1f6e3a;
  --utrecht-document-background-color: #ffffff;
  --utrecht-document-color: #1a1a1a;
  --utrecht-document-font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --utrecht-document-font-size: 1.0625rem;
  --utrecht-document-line-height: 1.5;
  --utrecht-focus-outline-color: #1a1a1a;
  --utrecht-focus-outline-style: solid;
  --utrecht-focus-outline-width: 3px;
  --utrecht-focus-outline-offset: 2px;
  --utrecht-focus-inverse-outline-color: #ffffff;
  --utrecht-heading-font-family: inherit;
  --utrecht-heading-color: var(--werkplek-blauw-donker);
  --utrecht-heading-1-font-size: 2rem;
  --utrecht-heading-1-font-weight: 700;
  --utrecht-heading-1-line-height: 1.2;
  --utrecht-heading-1-margin-block-start: 0;
  --utrecht-heading-1-margin-block-end: 1rem;
  --utrecht-heading-2-font-size: 1.5rem;
  --utrecht-heading-2-font-weight: 700;
  --utrecht-heading-2-margin-block-start: 1.5rem;
  --utrecht-heading-2-margin-block-end: 0.75rem;
  --utrecht-heading-3-font-size: 1.25rem;
  --utrecht-heading-3-font-weight: 700;
  --utrecht-heading-3-margin-block-start: 1.25rem;
  --utrecht-heading-3-margin-block-end: 0.5rem;
  --utrecht-paragraph-margin-block-end: 0.75rem;
  --utrecht-link-color: var(--werkplek-blauw);
  --utrecht-link-hover-color: var(--werkplek-blauw-donker);
  --utrecht-link-focus-color: #1a1a1a;
  --utrecht-link-focus-background-color: #ffbc2c;
  --utrecht-button-font-family: inherit;
  --utrecht-button-font-size: 1rem;
  --utrecht-button-font-weight: 600;
  --utrecht-button-border-radius: 4px;
  --utrecht-button-border-width: 2px;
  --utrecht-button-min-block-size: 44px;
  --utrecht-button-min-inline-size: 44px;
  --utrecht-button-padding-inline-start: 1rem;
  --utrecht-button-padding-inline-end: 1rem;
  --utrecht-button-padding-block-start: 0.5rem;
  --utrecht-button-padding-block-end: 0.5rem;
  --utrecht-button-primary-action-background-color: var(--werkplek-blauw);
  --utrecht-button-primary-action-border-color: var(--werkplek-blauw);
  --utrecht-button-primary-action-color: #ffffff;
  --utrecht-button-primary-action-hover-background-color: var(--werkplek-blauw-donker);
  --utrecht-button-primary-action-hover-border-color: var(--werkplek-blauw-donker);
  --utrecht-button-primary-action-hover-color: #ffffff;
  --utrecht-button-secondary-action-background-color: #ffffff;
  --utrecht-button-secondary-action-border-color: var(--werkplek-blauw);
  --utrecht-button-secondary-action-color: var(--werkplek-blauw);
  --utrecht-button-secondary-action-hover-background-color: var(--werkplek-lichtblauw);
  --utrecht-button-secondary-action-hover-color: var(--werkplek-blauw-donker);
  --utrecht-button-subtle-background-color: transparent;
  --utrecht-button-subtle-color: var(--werkplek-blauw);
  --utrecht-button-group-inline-gap: 0.75rem;
  --utrecht-button-group-block-gap: 0.75rem;
  --utrecht-button-group-margin-block-start: 1rem;
  --utrecht-button-group-margin-block-end: 1rem;
  --utrecht-form-label-font-weight: 600;
  --utrecht-form-label-color: #1a1a1a;
  --utrecht-form-field-margin-block-end: 1.25rem;
  --utrecht-form-field-description-color: var(--werkplek-grijs);
  --utrecht-form-field-invalid-border-inline-start-color: var(--werkplek-rood);
  --utrecht-form-field-error-message-color: var(--werkplek-rood);
  --utrecht-form-control-background-color: #ffffff;
  --utrecht-form-control-border-color: #1a1a1a;
  --utrecht-form-control-border-width: 1px;
  --utrecht-form-control-color: #1a1a1a;
  --utrecht-form-control-font-family: inherit;
  --utrecht-form-control-font-size: 1rem;
  --utrecht-form-control-padding-block-start: 0.5rem;
  --utrecht-form-control-padding-block-end: 0.5rem;
  --utrecht-form-control-padding-inline-start: 0.5rem;
  --utrecht-form-control-padding-inline-end: 0.5rem;
  --utrecht-form-control-invalid-border-color: var(--werkplek-rood);
  --utrecht-textbox-max-inline-size: 32rem;
  --utrecht-alert-background-color: var(--werkplek-lichtblauw);
  --utrecht-alert-border-color: var(--werkplek-blauw);
  --utrecht-alert-border-width: 0 0 0 4px;
  --utrecht-alert-color: #1a1a1a;
  --utrecht-alert-padding-block-start: 0.75rem;
  --utrecht-alert-padding-block-end: 0.75rem;
  --utrecht-alert-padding-inline-start: 1rem;
  --utrecht-alert-padding-inline-end: 1rem;
  --utrecht-alert-margin-block-end: 1rem;
  --utrecht-alert-error-background-color: #fbeaeb;
  --utrecht-alert-error-border-color: var(--werkplek-rood);
  --utrecht-alert-error-color: #1a1a1a;
  --utrecht-alert-ok-background-color: #e8f3ec;
  --utrecht-alert-ok-border-color: var(--werkplek-groen);
  --utrecht-alert-ok-color: #1a1a1a;
  --utrecht-alert-warning-background-color: #fff4d6;
  --utrecht-alert-warning-border-color: #8a5a00;
  --utrecht-alert-warning-color: #1a1a1a;
  --utrecht-table-border-color: #b3b3b3;
  --utrecht-table-border-width: 0;
  --utrecht-table-header-border-block-end-color: var(--werkplek-blauw);
  --utrecht-table-header-border-block-end-width: 2px;
  --utrecht-table-header-font-weight: 700;
  --utrecht-table-row-border-block-end-color: #d9d9d9;
  --utrecht-table-row-border-block-end-width: 1px;
  --utrecht-table-cell-padding-block-start: 0.5rem;
  --utrecht-table-cell-padding-block-end: 0.5rem;
  --utrecht-table-cell-padding-inline-start: 0.5rem;
  --utrecht-table-cell-padding-inline-end: 0.5rem;
  --utrecht-table-caption-font-weight: 700;
  --utrecht-table-caption-text-align: start;
  --utrecht-table-margin-block-end: 1.5rem;
  --utrecht-skip-link-background-color: #ffbc2c;
  --utrecht-skip-link-color: #1a1a1a;
  --utrecht-skip-link-padding-block-start: 0.5rem;
  --utrecht-skip-link-padding-block-end: 0.5rem;
  --utrecht-skip-link-padding-inline-start: 1rem;
  --utrecht-skip-link-padding-inline-end: 1rem;
  --utrecht-skip-link-z-index: 10;
  --utrecht-status-badge-background-color: var(--werkplek-lichtblauw);
  --utrecht-status-badge-color: var(--werkplek-blauw-donker);
  --utrecht-status-badge-padding-inline-start: 0.5rem;
  --utrecht-status-badge-padding-inline-end: 0.5rem;
  --utrecht-status-badge-border-radius: 4px;
  --utrecht-data-list-item-key-font-weight: 700;
  --utrecht-page-header-background-color: var(--werkplek-blauw);
  --utrecht-page-header-color: #ffffff;
  --utrecht-page-footer-background-color: #f3f3f3;
  --utrecht-page-footer-color: #1a1a1a;
  --utrecht-page-footer-content-padding-block-start: 1rem;
  --utrecht-page-footer-content-padding-block-end: 1rem;
}
.werkplek-thema body { margin: 0; }
/* Utrecht's page body is a grid: the widest table would widen the page on a phone; tables scroll in their wrapper. */
.werkplek-thema body.utrecht-page-body { display: block; }
/* Status badges with white text at 5.9:1 or more (WCAG AA); Utrecht's defaults are lighter. */
.werkplek-thema {
  --utrecht-status-badge-success-background-color: #1f6e3a; --utrecht-status-badge-success-color: #ffffff;
  --utrecht-status-badge-danger-background-color: #a4151f; --utrecht-status-badge-danger-color: #ffffff;
  --utrecht-status-badge-warning-background-color: #8a5a00; --utrecht-status-badge-warning-color: #ffffff;
  --utrecht-status-badge-active-background-color: #154273; --utrecht-status-badge-active-color: #ffffff;
  --utrecht-status-badge-inactive-background-color: #595959; --utrecht-status-badge-inactive-color: #ffffff;
  --utrecht-status-badge-neutral-background-color: #e5f0f9; --utrecht-status-badge-neutral-color: #0b2747;
}
.werkplek-kop { background: var(--werkplek-blauw); color: #ffffff; }
.werkplek-kop a, .werkplek-kop .utrecht-link { color: #ffffff; }
.werkplek-kop a:focus-visible { color: #1a1a1a; background: #ffbc2c; outline: 3px solid #1a1a1a; }
.werkplek-kop__binnen, .werkplek-nav__binnen, .werkplek-inhoud, .werkplek-voet__binnen {
  max-width: 72rem; margin: 0 auto; padding-inline: 1rem; box-sizing: border-box;
}
.werkplek-kop__binnen { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1.5rem; padding-block: 0.75rem; }
.werkplek-kop__naam { font-size: 1.25rem; font-weight: 700; color: #ffffff; text-decoration: none; }
.werkplek-kop__gebruiker { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 0; }
.werkplek-kop__wie { margin: 0; }
.werkplek-kop__rol { display: block; font-size: 0.9375rem; }
.werkplek-kop form { margin: 0; }
.werkplek-kop .utrecht-button--secondary-action { background: #ffffff; color: var(--werkplek-blauw); border-color: #ffffff; }
.werkplek-nav { background: var(--werkplek-lichtblauw); border-block-end: 1px solid #b3c7dc; }
.werkplek-nav__lijst { display: flex; flex-wrap: wrap; gap: 0 1.5rem; list-style: none; margin: 0; padding: 0; }
.werkplek-nav__lijst a { display: inline-block; padding-block: 0.75rem; color: var(--werkplek-blauw-donker); font-weight: 600; }
.werkplek-nav__lijst a[aria-current="page"] { text-decoration-thickness: 3px; }
.werkplek-inhoud { padding-block: 1.5rem 3rem; }
.werkplek-voet { background: #f3f3f3; color: #1a1a1a; }
.werkplek-voet__binnen { padding-block: 1rem; }
.werkplek-skip { position: absolute; left: -10000px; top: 0; }
.werkplek-skip:focus { left: 0.5rem; top: 0.5rem; }
.werkplek-keuzes { list-style: none; padding: 0; margin: 0 0 1.5rem; display: grid; gap: 0.75rem; max-width: 32rem; }
.werkplek-tabel-wrapper { overflow-x: auto; }
.werkplek-code { font-family: ui-monospace, monospace; }
.werkplek-grafiek { max-width: 48rem; margin: 0 0 1rem; }
.werkplek-grafiek svg { width: 100%; height: auto; }
.werkplek-subnav { display: flex; flex-wrap: wrap; gap: 0 1rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.werkplek-gegevens { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: 0.25rem 1rem; }
.werkplek-gegevens dt { font-weight: 600; }
.werkplek-melding { border-inline-start: 4px solid var(--werkplek-lichtblauw); padding-inline-start: 1rem; }
.werkplek-verplicht { font-weight: 400; }
.werkplek-verborgen { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) {
  .utrecht-heading-1 { font-size: 1.625rem; }
}
`;
