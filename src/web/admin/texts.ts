// Texts of the admin screens (namespace "admin"); the same keys in both languages.
const az = {
  title: 'admin',
};

const en: typeof az = {
  title: 'admin',
};

export default { az, en };
