// Texts of the operator screens (namespace "operator"); the same keys in both languages.
const az = {
  title: 'operator',
};

const en: typeof az = {
  title: 'operator',
};

export default { az, en };
