import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { RiskCommand } from './risk.commands';
import { riskDecider, riskRag, riskScore } from './risk.decider';
import type { RiskEvent, RiskRaised } from './risk.events';

const spec = deciderSpecification(riskDecider);
const now = new Date('2026-11-10T10:00:00Z');
const at = now.toISOString();

/** Seed 003's risk annex: business continuity, with its mitigation as the controls. */
const facts = {
  title: 'Business disruption stops essential services',
  owner: 'rm-gwen',
  category: 'business-continuity',
  inherent: { likelihood: 4, impact: 5 },
  residual: { likelihood: 2, impact: 4 },
  controls: 'Business Continuity Plans kept up to date; Business Impact Analysis every 12 months',
  reviewOn: '2027-02-01',
};
const raise = (over: Partial<typeof facts> | Record<string, unknown> = {}): RiskCommand => ({
  type: 'RaiseRisk',
  data: { riskId: 'risk-1', ...facts, ...over, actor: 'user:admin-1', now },
});
const raised: RiskRaised = {
  type: 'RiskRaised',
  data: {
    riskId: 'risk-1',
    ...facts,
    category: 'business-continuity',
    raisedBy: 'user:admin-1',
    raisedAt: at,
  },
};
const revise = (changes: Record<string, unknown>): RiskCommand => ({
  type: 'ReviseRisk',
  data: { riskId: 'risk-1', changes, actor: 'user:rm-gwen', now },
});

describe('scores and RAG', () => {
  it('scores likelihood × impact, green 1–6, amber 8–12, red 15–25', () => {
    expect(riskScore({ likelihood: 4, impact: 5 })).toBe(20);
    expect([1, 6, 8, 12, 15, 25].map(riskRag)).toEqual([
      'green',
      'green',
      'amber',
      'amber',
      'red',
      'red',
    ]);
  });
});

describe('raising a risk', () => {
  it('puts it on the register as given', () => {
    spec.given([]).when(raise()).then([raised]);
  });

  it('refuses a second risk of the same id', () => {
    spec.given([raised]).when(raise()).thenThrows(ConflictError);
  });

  it('names each field wrong', () => {
    spec
      .given([])
      .when(
        raise({ inherent: { likelihood: 6, impact: 0 }, category: 'weather', reviewOn: 'soon' }),
      )
      .thenThrows(
        InvalidCommandError,
        /^category: .*; inherent.likelihood: .*; inherent.impact: .*; reviewOn: /,
      );
  });

  it('refuses controls that raise the risk: the residual score above the inherent', () => {
    spec
      .given([])
      .when(raise({ residual: { likelihood: 5, impact: 5 } }))
      .thenThrows(InvalidCommandError, /^residual: scores 25, above the inherent 20/);
  });
});

describe('revising a risk', () => {
  it('keeps a revision per change, naming what changed, the whole risk as it now stands', () => {
    spec
      .given([raised])
      .when(revise({ residual: { likelihood: 1, impact: 4 }, reviewOn: '2027-05-01' }))
      .then([
        {
          type: 'RiskRevised',
          data: {
            riskId: 'risk-1',
            ...facts,
            category: 'business-continuity',
            residual: { likelihood: 1, impact: 4 },
            reviewOn: '2027-05-01',
            revision: 2,
            changed: ['residual', 'reviewOn'],
            revisedBy: 'user:rm-gwen',
            revisedAt: at,
          },
        },
      ]);
  });

  it('numbers revisions on from the last', () => {
    const second: RiskEvent = {
      type: 'RiskRevised',
      data: {
        ...raised.data,
        revision: 2,
        changed: ['controls'],
        controls: 'More',
        revisedBy: 'u',
        revisedAt: at,
      },
    };
    spec
      .given([raised, second])
      .when(revise({ title: 'Renamed' }))
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ data: { revision: 3, changed: ['title'] } }),
      );
  });

  it('refuses a revision that changes nothing, or raises the residual above the inherent', () => {
    spec
      .given([raised])
      .when(revise({ owner: 'rm-gwen' }))
      .thenThrows(InvalidCommandError, /change nothing/);
    spec
      .given([raised])
      .when(revise({ inherent: { likelihood: 1, impact: 2 } }))
      .thenThrows(InvalidCommandError, /^residual: scores 8, above the inherent 2/);
  });

  it('refuses to revise a closed risk, or one not on the register', () => {
    const closed: RiskEvent = {
      type: 'RiskClosed',
      data: {
        riskId: 'risk-1',
        closedOn: '2026-11-10',
        reviewOn: '2027-02-01',
        closedBy: 'u',
        recordedAt: at,
      },
    };
    spec
      .given([raised, closed])
      .when(revise({ title: 'x' }))
      .thenThrows(ConflictError, /closed/);
    spec
      .given([])
      .when(revise({ title: 'x' }))
      .thenThrows(NotFoundError);
  });
});

describe('closing a risk', () => {
  it('closes it today by default, once', () => {
    const close: RiskCommand = {
      type: 'CloseRisk',
      data: { riskId: 'risk-1', closedOn: undefined, actor: 'user:rm-gwen', now },
    };
    const closed: RiskEvent = {
      type: 'RiskClosed',
      data: {
        riskId: 'risk-1',
        closedOn: '2026-11-10',
        reviewOn: '2027-02-01',
        closedBy: 'user:rm-gwen',
        recordedAt: at,
      },
    };
    spec.given([raised]).when(close).then([closed]);
    spec.given([raised, closed]).when(close).thenThrows(ConflictError);
  });
});
