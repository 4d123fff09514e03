// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// Acts reports whether the visitor may act on the case at all: a role
// that only reads (justice) got an empty list of actions under its
// heading.
func (w *caseWork) Acts() bool {
	return w.CanEdit || w.CanComment || w.CanPlan || w.CanConsent || w.CanRefer || w.CanRequestClosure || w.CanReopen
}

// Empty reports whether the case work block has nothing to show: no
// action, no closure waiting, no referral to answer, no open plan. The
// block is then left out, heading included.
func (w *caseWork) Empty() bool {
	return !w.Acts() && w.Pending == nil && len(w.Answerable) == 0 && len(w.Plans) == 0
}
