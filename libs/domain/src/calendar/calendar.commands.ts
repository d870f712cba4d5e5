export interface AddBankHoliday {
  type: 'AddBankHoliday';
  data: { date: unknown; name: unknown; addedBy: string; now: Date };
}

export interface RemoveBankHoliday {
  type: 'RemoveBankHoliday';
  data: { date: unknown; reason: unknown; removedBy: string; now: Date };
}

export type CalendarCommand = AddBankHoliday | RemoveBankHoliday;
