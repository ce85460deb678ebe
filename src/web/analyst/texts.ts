// Texts of the analyst screens (namespace "analyst"); the same keys in both languages.
const az = {
  title: 'analyst',
};

const en: typeof az = {
  title: 'analyst',
};

export default { az, en };
